"""sitegen: turn a daily newspaper's raw PDF-extracted pages into a static digital edition."""

__version__ = "0.1.0"
