"""Region maps: which equilibria hold where on a two-parameter grid."""

import warnings

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

import gvcgames as gg
from gvcgames.errors import MissingDependencyError
from gvcgames.regions import RegionMap, region_map


def hawk_dove():
    V, C = gg.parameters("V C", positive=True)
    game = gg.NormalFormGame(
        ["row", "col"],
        [["hawk", "dove"], ["hawk", "dove"]],
        [[((V - C) / 2, (V - C) / 2), (V, 0)], [(0, V), (V / 2, V / 2)]],
    )
    return game, V, C


RECONF = gg.models.reconfiguration()
RECONF_SOL = RECONF.solve()
FIXED = {"theta": 0.5, "D": 10, "d": 4, "m": 3, "kappa": 0.5}


def test_hawk_dove_map_matches_the_conditions():
    game, V, C = hawk_dove()
    rm = region_map(game, ("V", 0.1, 5), ("C", 0.1, 5), resolution=(40, 30))
    assert isinstance(rm, RegionMap) and rm.holds.shape == (4, 30, 40)
    X, Y = np.meshgrid(rm.x, rm.y)
    by_label = dict(zip(rm.labels, rm.holds, strict=True))
    assert np.array_equal(by_label["pure (hawk, hawk)"], X >= Y)
    assert np.array_equal(by_label["pure (hawk, dove)"], Y >= X)
    assert np.array_equal(by_label["mixed (supports {hawk, dove} x {hawk, dove})"], Y > X)
    assert rm.admissible.all()
    assert set(np.unique(rm.count)) <= {1, 3}


def test_reconfiguration_map_agrees_with_holds_at_on_sampled_points():
    rm = region_map(RECONF_SOL, ("p", 0.01, 0.99), ("Delta", 0.1, 10), fixed=FIXED, resolution=25)
    rng = np.random.default_rng(3)
    for _ in range(30):
        i, j = rng.integers(0, 25, 2)
        values = {**FIXED, "p": rm.x[j], "Delta": rm.y[i]}
        for k, eq in enumerate(RECONF_SOL.equilibria):
            assert rm.holds[k, i, j] == bool(eq.holds_at(values)), (eq.case, values)


@given(st.floats(0.05, 0.95), st.floats(0.5, 9.5))
def test_every_grid_point_in_a_region_is_a_numeric_equilibrium(p, delta):
    """The map says which equilibria hold; the numeric engine agrees at those points."""
    rm = region_map(RECONF_SOL, ("p", p, p + 0.01), ("Delta", delta, delta + 0.01), fixed=FIXED, resolution=2)
    values = {**FIXED, "p": rm.x[0], "Delta": rm.y[0]}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gg.DegenerateGameWarning)  # e.g. where the MSE is indifferent
        numeric = RECONF.at(values).equilibria()
    for k, eq in enumerate(RECONF_SOL.equilibria):
        if rm.holds[k, 0, 0]:
            assert gg.is_equilibrium(RECONF, eq, values)
            ours = eq.at(values)
            assert any(
                all(np.allclose(list(ours[pl].values()), [float(v) for v in other[pl].values()]) for pl in ours)
                for other in numeric
            )


def test_sources_pure_equilibria_list_and_continuous_solution():
    game, V, C = hawk_dove()
    from_pure = region_map(game.pure_equilibria(), ("V", 1, 2), ("C", 1, 2), resolution=3)
    assert len(from_pure.labels) == 3
    from_list = region_map(list(game.pure_equilibria())[:1], ("V", 1, 2), ("C", 1, 2), resolution=3)
    assert from_list.labels == ("pure (hawk, hawk)",)
    a, c = gg.parameters("a c", positive=True)
    q1, q2 = gg.actions("q1 q2", nonnegative=True)
    cournot = gg.ContinuousGame(
        {"firm1": (q1, (a - q1 - q2 - c) * q1), "firm2": (q2, (a - q1 - q2 - c) * q2)},
    )
    sol = cournot.solve()
    rm = region_map(sol, ("a", 0.5, 2), ("c", 0.5, 2), resolution=5)
    assert rm.holds.shape[0] == len(sol.equilibria)
    for k, eq in enumerate(sol.equilibria):
        for i, j in [(0, 0), (4, 0), (0, 4), (2, 3)]:
            assert rm.holds[k, i, j] == bool(eq.holds_at({"a": rm.x[j], "c": rm.y[i]}))


def test_assumptions_mask_the_grid():
    game, V, C = hawk_dove()
    restricted = gg.NormalFormGame(game.players, game.actions, dict(_labelled(game)), assumptions=[C > V])
    rm = region_map(restricted, ("V", 0.1, 5), ("C", 0.1, 5), resolution=20)
    X, Y = np.meshgrid(rm.x, rm.y)
    assert np.array_equal(rm.admissible, Y > X)
    assert not rm.holds[:, ~rm.admissible].any()
    codes, names = rm.patterns()
    assert (codes[~rm.admissible] == -1).all() and "not admissible" not in names


def _labelled(game):
    for prof, values in game.table.items():
        yield tuple(lab[i] for lab, i in zip(game.actions, prof, strict=True)), values


def test_to_frame_and_display():
    rm = region_map(RECONF_SOL, ("p", 0.1, 0.9), ("Delta", 1, 9), fixed=FIXED, resolution=(4, 3))
    df = rm.to_frame()
    assert len(df) == 12 and list(df.columns[:2]) == ["p", "Delta"]
    assert (df["n_equilibria"] == df[list(rm.labels)].sum(axis=1)).all()
    text = str(rm)
    assert "RegionMap over p in [0.1, 0.9]" in text and "fixed: theta = 0.5" in text
    assert "<table>" in rm._repr_html_()
    values = np.linspace(0.1, 0.9, 5)
    explicit = region_map(RECONF_SOL, ("p", values), ("Delta", [1, 2, 3]), fixed=FIXED)
    assert np.array_equal(explicit.x, values) and explicit.holds.shape[1:] == (3, 5)


def test_plot(tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rm = region_map(RECONF_SOL, ("p", 0.01, 0.99), ("Delta", 0.1, 10), fixed=FIXED, resolution=50)
    ax = rm.plot()
    assert ax.get_xlabel() == "p" and ax.get_ylabel() == "Delta"
    assert ax.get_legend() is not None and len(ax.get_legend().get_texts()) >= 2
    ax.figure.savefig(tmp_path / "map.png")
    plt.close(ax.figure)


RG_FIXED = {"D": 10, "d": 2, "theta": 0.5, "kappa": 0.3, "m": 1}


def test_boundary_artifacts_are_counted_and_marked():
    # on this grid three points lie exactly on a boundary where the mixed equilibrium collapses:
    # there only the two pure equilibria hold together
    rm = region_map(RECONF_SOL, ("p", 0.02, 0.98), ("Delta", 0.1, 10), fixed=RG_FIXED, resolution=150)
    counts = {name: (n, artifact) for name, n, artifact in rm.pattern_counts()}
    assert counts["pure (stay, prevent) + pure (relocate, not)"] == (3, True)
    assert sum(n for n, _ in counts.values()) == rm.admissible.sum()
    assert [name for name, (_, artifact) in counts.items() if artifact] == [
        "pure (stay, prevent) + pure (relocate, not)"
    ]
    assert (
        "boundary artifact: pure (stay, prevent) + pure (relocate, not) hold together only at 3 grid point(s)"
        in str(rm)
    )


def test_plot_legend_below_the_axes_and_inside_the_figure(tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rm = region_map(RECONF_SOL, ("p", 0.02, 0.98), ("Delta", 0.1, 10), fixed=RG_FIXED, resolution=150)
    ax = rm.plot()
    fig = ax.figure
    fig.savefig(tmp_path / "map.png")  # draws, so the layout engine has placed everything
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    axes = ax.get_window_extent(renderer)
    assert legend.y1 <= axes.y0  # below the axes: it covers none of the map
    assert fig.bbox.x0 <= legend.x0 and legend.x1 <= fig.bbox.x1 and legend.y0 >= fig.bbox.y0  # not cut off
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts[-1] == "pure (stay, prevent) + pure (relocate, not)"  # the artifact comes last, hatched
    assert ax.get_legend().legend_handles[-1].get_hatch() == "////"
    assert "boundary artifacts" in ax.get_legend().get_title().get_text() and "3 grid point" in (
        ax.get_legend().get_title().get_text()
    )
    plt.close(fig)


def test_plot_without_matplotlib(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def fake(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError("no matplotlib")
        return real_import(name, *args, **kwargs)

    rm = region_map(RECONF_SOL, ("p", 0.1, 0.9), ("Delta", 1, 9), fixed=FIXED, resolution=3)
    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(MissingDependencyError, match=r"install the 'plots' extra"):
        rm.plot()


def test_large_grid_for_a_three_by_three_game_is_vectorised():
    a, b = gg.parameters("a b", positive=True)
    A = [[a, 0, 1], [b, 1, 0], [0, a - b, 2]]
    B = [[1, a, 0], [0, 1, b], [b, 0, 1]]
    game = gg.NormalFormGame(["r", "c"], [["x", "y", "z"], ["l", "m", "n"]], (A, B))
    sol = game.pure_equilibria()
    rm = region_map(sol, ("a", 0.01, 3), ("b", 0.01, 3), resolution=1000)  # timed in the benchmark, not here
    assert rm.holds.shape == (len(sol.equilibria), 1000, 1000)
    rng = np.random.default_rng(5)
    for i, j in rng.integers(0, 1000, (20, 2)):
        expected = [bool(eq.holds_at({"a": rm.x[j], "b": rm.y[i]})) for eq in sol]
        assert rm.holds[:, i, j].tolist() == expected


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"x": ("zeta", 0, 1)}, gg.InvalidSpecError, r"x: 'zeta' is not a parameter of these equilibria"),
        ({"x": ("p", 1, 1)}, gg.InvalidSpecError, r"the range of 'p' is empty"),
        ({"x": ("p", 2, 1)}, gg.InvalidSpecError, r"the range of 'p' is empty"),
        ({"x": ("p", [0.5])}, gg.InvalidSpecError, "at least 2 finite, increasing"),
        ({"x": ("p",)}, gg.InvalidSpecError, r"x must be \(parameter, low, high\)"),
        ({"y": ("p", 0, 1)}, gg.InvalidSpecError, "x and y must be different parameters"),
        ({"resolution": 1}, gg.InvalidSpecError, "resolution must be an integer >= 2"),
        ({"fixed": {"theta": 0.5}}, gg.InvalidValuesError, r"fixed values are missing for \['D', 'd', 'kappa'\]"),
        ({"fixed": {**FIXED, "zz": 1}}, gg.InvalidSpecError, "fixed: 'zz' is not a parameter"),
        ({"fixed": {**FIXED, "p": 1}}, gg.InvalidSpecError, "fixed: 'p' is on an axis"),
        ({"fixed": {**FIXED, "D": float("nan")}}, gg.InvalidValuesError, "fixed value of 'D' must be finite"),
        ({"fixed": {**FIXED, "D": "ten"}}, gg.InvalidValuesError, "fixed value of 'D' must be a number"),
    ],
)
def test_bad_input(kwargs, error, match):
    args = {"x": ("p", 0, 1), "y": ("Delta", 0, 10), "fixed": FIXED, "resolution": 5, **kwargs}
    with pytest.raises(error, match=match):
        region_map(RECONF_SOL, **args)


def test_bad_sources():
    with pytest.raises(gg.InvalidSpecError, match="needs a game, a Solution or a list of equilibria, got int"):
        region_map(3, ("p", 0, 1), ("Delta", 0, 1))
    with pytest.raises(gg.InvalidSpecError, match=r"equilibria with .conditions; got items of type \['int'\]"):
        region_map([1, 2], ("p", 0, 1), ("Delta", 0, 1))


def test_symbol_keys_and_constant_conditions():
    game, V, C = hawk_dove()
    rm = region_map(game, (V, 1, 2), (C, 3, 4), resolution=3)
    assert rm.x_name == "V" and rm.conditions[1] == (C >= V)
    assert np.array_equal(rm.holds[0], np.zeros((3, 3), dtype=bool))
    assert sp.true not in rm.conditions


def test_conditions_with_min_max_piecewise_and_custom_lists():
    a, b = gg.parameters("a b", positive=True)
    eq = gg.FiniteEquilibrium(
        {"r": {"x": sp.Integer(1)}},
        {"r": sp.Integer(0)},
        sp.And(sp.Max(a, b) > 1, sp.Min(a, b) < 2, sp.Ne(a, b)),
        "test",
    )
    rm = region_map([eq], (a, 0, 3), (b, 0, 3), resolution=7)
    X, Y = np.meshgrid(rm.x, rm.y)
    expected = (np.maximum(X, Y) > 1) & (np.minimum(X, Y) < 2) & (X != Y)
    assert np.array_equal(rm.admissible, (X > 0) & (Y > 0))  # no game: the parameters' domains still apply
    assert np.array_equal(rm.holds[0], expected & rm.admissible)
    assert rm.labels == ("pure (x)",)


def test_fixed_value_outside_its_domain():
    with pytest.raises(gg.InvalidValuesError, match=r"fixed value D = -1 is outside its domain"):
        region_map(RECONF_SOL, ("p", 0, 1), ("Delta", 0, 10), fixed={**FIXED, "D": -1})
