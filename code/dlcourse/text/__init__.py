"""Turning text into ids: tokenizers written from scratch (characters, words, byte-level BPE)."""
