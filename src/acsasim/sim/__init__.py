"""The world on SimPy: holders, the ACSA desk, logistics, timeline (R1-R8)."""

from acsasim.sim.world import simulate

__all__ = ["simulate"]
