"""Build machinery: parse lessons, execute them with a content-addressed cache, render pages.

Nothing here is imported by lessons; lessons import the teaching modules of ``dlcourse``.
"""
