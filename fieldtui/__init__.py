"""fieldtui: a keyboard-first terminal app for BPU outreach in Bali."""

from __future__ import annotations

__version__ = "0.1.0"
