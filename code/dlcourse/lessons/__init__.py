"""Code that serves one lesson only, in a module named after it.

``lessons/ner-bilstm.py`` imports from ``dlcourse.lessons.ner_bilstm``, and so on. What a
second lesson starts to need moves to ``data``, ``models`` or ``training``.
"""
