"""dlcourse: the library behind the bilingual deep-learning course.

Lessons stay short by importing from here. The package is grouped by kind:

* ``runtime`` and ``plotting``: what every lesson uses (device, seeds, scratch folder,
  course-styled figures with alt text);
* ``data``: offline datasets (scikit-learn's tables and digits, dates in words, the
  course's own text);
* ``text``: tokenizers;
* ``models``: networks that several lessons share, some written by hand;
* ``training``: hand-written loops and the Lightning pieces (a quiet Trainer, one
  classifier base module);
* ``lessons``: code that serves one lesson only, in a module named after that lesson.

The machinery that executes lessons for the site is a separate package, ``coursebuild``.
"""

__version__ = "0.1.0"
