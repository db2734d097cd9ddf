"""Server time of one live-panel refresh of the playground, in ms (goal: <= 20 ms).

A refresh reads the runner's snapshot, builds the panel's figures and serializes them as
`ffnviz/ui/plot.py` sends them (`ffnviz.viz.payload.figure_json`). Two panels, each its own
fragment: the fast one (~3 Hz: decision map, loss, accuracy) and, when "Show inside the network"
is on, the slow one (1 Hz: network diagram, neuron maps, the probes over time, layer norms);
and the optimizer page's race panel (~3 Hz: loss and accuracy of 4 contestants x 4 seeds).
Measured for the default network and the largest one the limits allow, with a long history,
medians over many refreshes. A last table times a whole AppTest rerun of the page (script,
widgets, panel): an upper bound that includes Streamlit's own per-run work.

    python benchmarks/bench_refresh.py [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ffnviz import limits  # noqa: E402
from ffnviz.specs import DataSpec, ModelSpec, OptimSpec, RunSpec  # noqa: E402
from ffnviz.specs.race import Contestant, RaceSpec  # noqa: E402
from ffnviz.train.race_runner import RaceRunner  # noqa: E402
from ffnviz.train.runner import Runner  # noqa: E402
from ffnviz.ui.charts import (  # noqa: E402
    accuracy_figure,
    decision_figure,
    layer_norms_figure,
    loss_figure,
    probe_table,
)
from ffnviz.ui.inside_panel import maps_figure, network_figure, time_figures  # noqa: E402
from ffnviz.viz.payload import figure_json  # noqa: E402
from ffnviz.viz.race_charts import race_curves  # noqa: E402

PROBLEMS = {
    "default 2-4-2-1 tanh, circle": RunSpec(),
    f"largest {limits.HIDDEN_LAYERS.hi:.0f} x {limits.UNITS.hi:.0f} relu, 2000-pt spiral": RunSpec(
        data=DataSpec("spiral", n_points=int(limits.N_POINTS.hi)),
        model=ModelSpec(hidden=(int(limits.UNITS.hi),) * int(limits.HIDDEN_LAYERS.hi), activation="relu",
                        init="he")),
}


def fast_panel(snap) -> list:
    return [decision_figure(snap), loss_figure(snap), accuracy_figure(snap)]


def slow_panel(snap) -> list:
    probe_table(snap)  # the table under the charts (Streamlit's own Arrow encoding of it is not counted)
    return [network_figure(snap), maps_figure(snap), *time_figures(snap, 0).values(), layer_norms_figure(snap)]


RACE_LABELS = {"title": "Loss", "epoch": "epoch", "train": "train", "test": "test", "loss_axis": "loss",
               "acc_axis": "accuracy"}


def race_runner(epochs: int) -> RaceRunner:
    """A race of four optimizers over four seeds (16 models, the race's cap) on the race's default
    network, trained `epochs` epochs so its histories are long."""
    spec = RaceSpec(contestants=tuple(Contestant(OptimSpec(name, lr)) for name, lr in
                                      (("sgd", 0.03), ("momentum", 0.03), ("adam", 0.01), ("rmsprop", 0.003))),
                    seeds=(0, 1, 2, 3))
    runner = RaceRunner(spec, publish_interval_s=3600)
    runner.step(runner.snapshot.updates_per_epoch * epochs, wait_s=3600)
    return runner


def race_panel(snap, names: list[str]) -> list:
    """The race's live charts, as ffnviz/ui/race_panel.py draws them (the table is text)."""
    return [race_curves(snap.histories, names, key, smoothing=0.5, labels=RACE_LABELS) for key in ("loss", "accuracy")]


def refresh_ms(runner: Runner, panel, repeats: int) -> tuple[float, float, int]:
    times, size = [], 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        snap = runner.poll()
        payload = "".join(figure_json(fig) for fig in panel(snap))  # as plot.py sends
        times.append((time.perf_counter() - t0) * 1000)
        size = len(payload)
    return statistics.median(times), max(times), size


def publish_ms(runner: Runner, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        with runner._cv:
            runner._publish()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(1)
    repeats = 10 if args.quick else 60
    epochs = 50 if args.quick else 2000  # history length the loss chart draws

    print("| problem | history points | panel | refresh median (ms) | refresh max (ms) | payload (KB) |")
    print("| --- | ---: | --- | ---: | ---: | ---: |")
    publish = {}
    for name, spec in PROBLEMS.items():
        runner = Runner(spec, publish_interval_s=3600)
        per_epoch = runner.snapshot.updates_per_epoch
        runner.step(per_epoch * epochs)
        for panel_name, panel in (("fast (3 Hz)", fast_panel), ("inside (1 Hz)", slow_panel)):
            median, worst, size = refresh_ms(runner, panel, repeats)
            print(f"| {name} | {len(runner.snapshot.history['epoch'])} | {panel_name} | {median:.1f} | {worst:.1f} | "
                  f"{size / 1024:.0f} |")
        publish[name] = publish_ms(runner, repeats)
    race = race_runner(60 if args.quick else 500)
    names = [c.label() for c in race.snapshot.spec.contestants]
    median, worst, size = refresh_ms(race, lambda snap: race_panel(snap, names), repeats)
    print(f"| race: {len(names)} contestants x {len(race.snapshot.spec.seeds)} seeds, default net, smoothing 0.5 | "
          f"{len(race.snapshot.histories[0]['epoch'])} | race (3 Hz) | {median:.1f} | {worst:.1f} | {size / 1024:.0f} |")
    publish["race, 4 x 4 models"] = publish_ms(race, repeats)
    print()
    print("| problem | snapshot publication median (ms, in the training thread) |")
    print("| --- | ---: |")
    for name, ms in publish.items():
        print(f"| {name} | {ms:.1f} |")

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("pages/playground.py").run()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - t0) * 1000)
    print()
    print("| whole-page AppTest rerun of the playground (upper bound) | median (ms) |")
    print("| --- | ---: |")
    print(f"| default spec | {statistics.median(times):.1f} |")


if __name__ == "__main__":
    main()
