"""mirrorball: a dance competition's judging, audience voting and results, end to end."""

__version__ = "0.1.0"
