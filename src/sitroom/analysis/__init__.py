"""Analysis over the store: dyad series, country profiles, bloc alignment, changes.

from sitroom.analysis import Analyst
with Analyst.open("sitroom.duckdb") as analyst:
    analyst.dyad_series("MYS", "RUS", freq="month")   # a pandas DataFrame
"""

from sitroom.analysis.analyst import Analyst

__all__ = ["Analyst"]
