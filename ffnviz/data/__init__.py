"""Datasets: plain numpy arrays, deterministic per seed; uploaded CSV files."""

from ffnviz.data.toy2d import Dataset, make_dataset
from ffnviz.data.upload import Upload, UploadError, dataset_from_upload, parse_csv, spec_for_upload

__all__ = ["Dataset", "Upload", "UploadError", "dataset_from_upload", "make_dataset", "parse_csv",
           "spec_for_upload"]
