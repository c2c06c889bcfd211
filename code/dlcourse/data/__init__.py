"""Data the lessons learn from, all offline: scikit-learn's bundled tables and digits, Spanish
dates in words, and text written for the course (``corpus``). Nothing here downloads anything.
"""
