"""Run folders as records: claimed at the start, written whole, sealed last, verified.

- `atomic`: the one way acsasim writes a file or makes a folder (temporary name, fsync,
  rename); every run, study, statement, export and report goes through it.
- `claim`, `lock`: a folder's name taken by an exclusive mkdir before any slow work, and
  the lock that says which process works on it.
- `seal`: the manifest written last, with the SHA-256 of every file; changes to a sealed
  folder that keep it true at every instant.
- `run_folder`: a run's folder from claim to seal; `report`: redrawing a run's report;
  `statements`: statements of account written into a run folder or elsewhere.
- `verify`: everything a run folder promises, checked; `clean`: what dead processes left.

Everything here is a library function first; `acsasim.cli` only parses and prints.
"""
