"""The rules of the job in plain Python: no Textual, no TinyDB."""
