"""In-process fakes of the chat platforms, used by the test suite."""
