"""ffnviz: watch neural-network layers train. Plain Python below `ffnviz.ui`."""

__version__ = "0.1.0"
