"""Hostile and malformed chat text, shared by the core and the renderer tests."""

from __future__ import annotations

CHAT_TEXT: list[str] = [
    # empty and blank
    "",
    " ",
    "\t\n\r ",
    "/summary",
    "/summary    ",
    # huge
    "a" * 100_000,
    "word " * 20_000,
    "Sarandos " * 300,
    # control characters
    "\x00",
    "labor\x00",
    "\x1b[31mred\x1b[0m labor",
    "\x07\x08\x0b\x0c labor",
    "what\rdid\nSarandos\tsay",
    # invisible and bidirectional marks
    "\u200b\u200c\u200d\ufeff",
    "\u200blabor\u200b",
    "\u202egnirts desrever\u202c",
    "\u2066labor\u2069 \u200f",
    # emoji and combining characters
    "🎬🤖📈",
    "what about 🎬 Netflix?",
    "e\u0301\u0301\u0301\u0301 zalgo t\u0336\u0334\u0335e\u0337x\u0338t",
    "👨‍👩‍👧‍👦 family",
    "Ω≈ç√∫\u02dcµ≤≥÷ 田中さんにあげて下さい",
    "\ud800",
    # Slack markup
    "<!channel>",
    "<!here> what did Sarandos say?",
    "<!everyone> labor",
    "<@U123> hello",
    "<#C123|general>",
    "<https://x.example|y> labor",
    "&amp; &lt; &gt; labor",
    "<!subteam^S123|@team>",
    "*bold* _it_ ~strike~ `code`",
    # Discord markup
    "@everyone",
    "@here what did Sarandos say",
    "<@&123456789012345678> market",
    "<@123456789012345678>",
    "<@!123456789012345678> labor",
    "<#123456789012345678>",
    "```\ncode fence\n``` labor",
    "||spoiler|| Sarandos",
    "> quote labor",
    "# heading\nlabor",
    "[link](https://evil.example) labor",
    # section numbers and commands
    "0",
    "-1",
    "999",
    str(10**30),
    "section 10000000000000000000000000",
    "1.5",
    "+3",
    "#0",
    # odd settings-like text
    "algorithm=magic",
    "length=-5",
    "use ../../etc/passwd",
    "load file:///etc/passwd",
    "load javascript:alert(1)",
    "help me",
    "%s %d {0} {{}}",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    # bare links, which chat clients link by themselves
    "http://evil.example/login labor",
    "HTTPS://EVIL.EXAMPLE/login?next=/ Sarandos",
    "evil.example/login labor",
    "www.evil.example what did Sarandos say",
    "http://169.254.169.254/latest/meta-data/ market",
    "mail admin@evil.example",
    # commands with nothing after them
    "use",
    "load",
    "/summary use ",
    "/summary load\t",
    "LOAD",
]

LIVE_SLACK_MENTIONS = ("<!channel>", "<!here>", "<!everyone>", "<@U123>", "<!subteam")
LIVE_DISCORD_MENTIONS = ("@everyone", "@here", "<@&", "<@1", "<@!")
