"""CloudWatch percentile statistics (p99, p50, ...) in GetMetricData, which moto cannot compute."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from typing import Any

# moto (>=5.1,<5.3) computes Sum, Average, Minimum, Maximum and SampleCount only: any other
# statistic comes back as None, which its serializer cannot write, so a GetMetricData query
# for p99 fails with a 500 [checked against moto 5.2.5].
_PERCENTILE = re.compile(r"^p(?P<rank>\d{1,2}(?:\.\d+)?|100)$")


def percentile(values: list[float], rank: float) -> float:
    """The nearest-rank percentile: the smallest value at or above `rank` % of the values.

    CloudWatch defines pNN as the value below which NN % of the period's data lies [DOC
    cloudwatch_concepts Percentiles]; how it interpolates is [UNVERIFIED], nearest rank never
    reports a value nobody measured.
    """
    ordered = sorted(values)
    index = max(0, math.ceil(rank / 100 * len(ordered)) - 1)
    return ordered[index]


def percentile_statistics(original: Callable[[Any, str], Any]) -> Callable[[Any, str], Any]:
    """moto's Statistics.get_statistics_for_type, answering pNN from the raw values too."""

    @functools.wraps(original)
    def get_statistics_for_type(self: Any, stat: str) -> Any:
        match = _PERCENTILE.match(stat)
        if match is None:
            return original(self, stat)
        values = self.metric_single_values_list
        if values:
            return percentile(values, float(match.group("rank")))
        # Only StatisticValues sets were put: their percentiles are unknowable; the maximum
        # bounds every one of them (differs: AWS answers no datapoint) [UNVERIFIED].
        aggregated = self.metric_aggregated_list
        return max(s.max_stat for s in aggregated) if aggregated else None

    return get_statistics_for_type
