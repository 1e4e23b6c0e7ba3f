"""Records one of issue 14's goals as measured by a benchmark, for scripts/bench/all.

Usage: python3 scripts/bench/goal.py NAME VALUE OP TARGET UNIT
  OP is <= or >=; UNIT is printed after both numbers (s, ms, ×, %, MiB).
Appends a Markdown table row to the file named by $XJ_BENCH_RESULTS; does nothing when it is unset,
so each benchmark still runs alone.
"""
import os
import sys


def main() -> None:
    name, value, op, target, unit = sys.argv[1:6]
    path = os.environ.get("XJ_BENCH_RESULTS")
    if not path:
        return
    measured, goal = float(value), float(target)
    if op not in ("<=", ">="):
        sys.exit(f"goal.py: OP must be <= or >=, not {op!r}")
    met = measured <= goal if op == "<=" else measured >= goal
    def shown(number: float) -> str:
        text = f"{number:,.3g}" if abs(number) < 1000 else f"{number:,.0f}"
        return f"{text}{unit}" if unit in ("×", "%") else f"{text} {unit}"
    symbol = "≤" if op == "<=" else "≥"
    with open(path, "a") as results:
        results.write(f"| {name} | {shown(measured)} | {symbol} {shown(goal)} | {'met' if met else '**not met**'} |\n")


if __name__ == "__main__":
    main()
