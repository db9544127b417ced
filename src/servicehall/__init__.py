"""servicehall — operations platform for government service centres (政务服务中心)."""

__version__ = "0.1.0"
