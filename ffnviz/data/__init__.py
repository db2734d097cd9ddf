"""Datasets: plain numpy arrays, deterministic per seed."""

from ffnviz.data.toy2d import Dataset, make_dataset

__all__ = ["Dataset", "make_dataset"]
