"""Named random streams from one seed (common random numbers).

Every consumer of randomness (a holder's demand for one commodity, a supply
line's lead times, a route's transit times) draws from its own stream, keyed by
its *name*: adding a holder or a phase leaves every other stream unchanged, so
two variants of a scenario differ only where they really differ.
"""

from __future__ import annotations

import hashlib

import numpy as np


class Streams:
    """`streams[name]` is a numpy Generator that depends only on (seed, name)."""

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)
        self._made: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        gen = self._made.get(name)
        if gen is None:
            gen = np.random.Generator(np.random.PCG64(self.sequence(name)))
            self._made[name] = gen
        return gen

    def sequence(self, name: str) -> np.random.SeedSequence:
        # A stable 128-bit key from the name (Python's hash() changes between runs).
        digest = hashlib.blake2b(name.encode("utf-8"), digest_size=16).digest()
        key = tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4))
        return np.random.SeedSequence(self.seed, spawn_key=key)
