"""dlcourse: the library behind the bilingual deep-learning course.

Lessons stay short by importing from here. Modules, by what they hold:

* ``runtime``: device choice (CUDA when present), seeds, where run files go.
* ``data``: offline datasets (scikit-learn's bundled tables) as standardized tensors.
* ``models``: plain ``torch.nn`` models (a single neuron, a configurable MLP).
* ``training``: a hand-written gradient-descent loop and its loss history.
* ``lightning``: LightningModules, DataModules and a quiet, reproducible Trainer.
* ``plotting``: course-styled figures with bilingual alt text.
* ``build``: the machinery that executes lessons for the site (not used by lessons).
"""

__version__ = "0.1.0"
