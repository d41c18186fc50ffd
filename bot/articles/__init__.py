"""Articles ready to answer: prepared once into frozen values, and the library of them.

:mod:`bot.articles.prepared` builds an article's summaries and search index
once; :mod:`bot.articles.library` maps names to articles; :mod:`bot.articles.sections`
is the one rule for naming a section by number or by title words.
"""
