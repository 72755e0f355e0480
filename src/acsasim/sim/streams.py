"""Named random streams from one seed (common random numbers).

Every consumer of randomness (a holder's demand for one commodity, a supply
line's lead times, a route's transit times) draws from its own stream, keyed by
its *name*: adding a holder or a phase leaves every other stream unchanged, so
two variants of a scenario differ only where they really differ.
"""

from __future__ import annotations

import hashlib

import numpy as np

from acsasim.scenario.quantities import Dist


class Streams:
    """`streams[name]` is a numpy Generator that depends only on (seed, name)."""

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)
        self._made: dict[str, np.random.Generator] = {}
        self._draws: dict[str, Draws] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        gen = self._made.get(name)
        if gen is None:
            gen = np.random.Generator(np.random.PCG64(self.sequence(name)))
            self._made[name] = gen
        return gen

    def draws(self, name: str, dist: Dist) -> Draws:
        """The draws of `dist` from stream `name` (one random quantity per stream)."""
        found = self._draws.get(name)
        if found is None:
            found = self._draws[name] = Draws(dist, self[name])
        return found

    def sequence(self, name: str) -> np.random.SeedSequence:
        # A stable 128-bit key from the name (Python's hash() changes between runs).
        digest = hashlib.blake2b(name.encode("utf-8"), digest_size=16).digest()
        key = tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4))
        return np.random.SeedSequence(self.seed, spawn_key=key)


class Draws:
    """Draws of one random quantity from its own stream, taken from numpy in batches: the very
    values one draw at a time would give, at a fraction of the cost per draw. A `normal` is
    truncated at 0 by rejection, as `Dist.sample` does."""

    BATCH = 64

    def __init__(self, dist: Dist, rng: np.random.Generator) -> None:
        self.dist, self.rng = dist, rng
        self._left: list[float] = []

    def next(self) -> float:
        if self.dist.kind == "normal":
            for _ in range(100):  # the cap of Dist.sample: 0 for a mean far below zero
                x = self._raw()
                if x >= 0:
                    return x
            return 0.0
        return self._raw()

    def _raw(self) -> float:
        if not self._left:
            batch = self.dist.draws(self.rng, self.BATCH)
            if batch is None:
                return self.dist.mean
            self._left = batch.tolist()[::-1]
        return self._left.pop()
