"""Region maps: which equilibria hold where on a grid of two parameters.

Definitions
-----------
Every equilibrium reported by gvcgames carries its region, a sympy Boolean ``c_k(theta)`` in
the parameters (``True``: everywhere admissible). Fix every parameter but two, ``p_x`` and
``p_y``; on a grid of ``(p_x, p_y)`` the *region map* is the boolean array ``c_k`` for every
equilibrium ``k``, with the admissible set (parameter domains and the game's assumptions) as a
mask. The *pattern* at a grid point is the set of equilibria that hold there; parameter
regions with the same pattern are drawn in the same colour.

Each condition is turned into a numpy function once (:func:`sympy.lambdify`) and evaluated on
the whole grid at once: no sympy work per grid point.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from gvcgames.errors import InvalidSpecError, InvalidValuesError, MissingDependencyError

__all__ = ["RegionMap", "region_map"]


@dataclass(frozen=True)
class RegionMap:
    """Which equilibria hold at each point of a two-parameter grid.

    Attributes
    ----------
    x_name, y_name : str
        The two parameters on the axes.
    x, y : ndarray
        Grid values of each axis (1-D).
    labels : tuple of str
        One label per equilibrium (e.g. ``"pure (stay, not)"``).
    holds : ndarray of bool, shape (len(labels), len(y), len(x))
        ``holds[k, i, j]``: equilibrium ``k`` holds at ``(x[j], y[i])`` (False outside the
        admissible set).
    admissible : ndarray of bool, shape (len(y), len(x))
        Whether the point satisfies the parameter domains and the assumptions.
    fixed : dict
        Values of the other parameters.
    conditions : tuple of sympy Boolean
        The conditions evaluated, one per label (after substituting ``fixed``).
    """

    x_name: str
    y_name: str
    x: np.ndarray
    y: np.ndarray
    labels: tuple[str, ...]
    holds: np.ndarray
    admissible: np.ndarray
    fixed: Mapping[str, float]
    conditions: tuple[sp.Boolean, ...]

    @property
    def count(self) -> np.ndarray:
        """Number of equilibria holding at each grid point."""
        return self.holds.sum(axis=0)

    @property
    def share(self) -> dict[str, float]:
        """Share of the admissible grid points where each equilibrium holds."""
        total = max(int(self.admissible.sum()), 1)
        return {lab: float(h.sum()) / total for lab, h in zip(self.labels, self.holds, strict=True)}

    def patterns(self) -> tuple[np.ndarray, list[str]]:
        """Integer pattern code per grid point and the name of each code.

        Code ``-1``: outside the admissible set. Other codes number the distinct sets of
        equilibria that hold, in order of first appearance; their names join the labels
        with ``" + "`` (``"none"`` for no equilibrium).
        """
        flat = self.holds.reshape(len(self.labels), -1).T
        keys, inverse = np.unique(flat, axis=0, return_inverse=True)
        names = [" + ".join(lab for lab, on in zip(self.labels, key, strict=True) if on) or "none" for key in keys]
        codes = inverse.reshape(self.admissible.shape)
        codes = np.where(self.admissible, codes, -1)
        return codes, names

    def pattern_counts(self, min_share: float = 0.002) -> list[tuple[str, int, bool]]:
        """Each pattern present on the grid: ``(name, admissible grid points, boundary_artifact)``.

        A pattern is a *boundary artifact* if it covers at most ``max(2, min_share * n)`` of the
        ``n`` admissible points and none of its points is interior (every one has a neighbour
        with another pattern): a set of equilibria that holds together only where a weak
        inequality is an equality, which a grid hits at isolated points.
        """
        codes, names = self.patterns()
        total = int(self.admissible.sum())
        limit = max(2, int(min_share * total))
        padded = np.pad(codes, 1, mode="edge")
        interior = np.ones(codes.shape, dtype=bool)
        for dy, dx in ((0, 1), (2, 1), (1, 0), (1, 2)):
            interior &= padded[dy : dy + codes.shape[0], dx : dx + codes.shape[1]] == codes
        out = []
        for c, name in enumerate(names):
            where = codes == c
            count = int(where.sum())
            if count:
                out.append((name, count, count <= limit and not bool((where & interior).any())))
        return out

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per grid point.

        Columns: the two parameters, one boolean column per equilibrium label,
        ``n_equilibria`` and ``admissible``.
        """
        import pandas as pd

        xx, yy = np.meshgrid(self.x, self.y)
        data: dict[str, Any] = {self.x_name: xx.ravel(), self.y_name: yy.ravel()}
        for lab, h in zip(self.labels, self.holds, strict=True):
            data[lab] = h.ravel()
        data["n_equilibria"] = self.count.ravel()
        data["admissible"] = self.admissible.ravel()
        return pd.DataFrame(data)

    def plot(self, ax: Any = None, min_share: float = 0.002) -> Any:
        """Draw the map: one colour per set of equilibria holding; grey outside the admissible set.

        The legend sits below the axes (a new figure uses constrained layout, which keeps it in
        view; with your own ``ax``, save with ``bbox_inches="tight"``). Patterns that are
        boundary artifacts (see :meth:`pattern_counts`) come last with a hatched patch, and the
        legend title gives their grid-point counts.

        Needs matplotlib (``pip install gvcgames[plots]``). Returns the matplotlib Axes.
        """
        try:
            import matplotlib.pyplot as plt
            from matplotlib.colors import ListedColormap
            from matplotlib.patches import Patch
        except ImportError as exc:
            raise MissingDependencyError(
                "RegionMap.plot needs matplotlib; install the 'plots' extra: pip install 'gvcgames[plots]'"
            ) from exc
        codes, names = self.patterns()
        counts = {name: (n, artifact) for name, n, artifact in self.pattern_counts(min_share)}
        palette = getattr(plt.get_cmap("tab20"), "colors", ("C0", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9"))
        colours = ["#d9d9d9", *(palette[k % len(palette)] for k in range(len(names)))]
        if ax is None:
            rows = len(counts) + (not self.admissible.all()) + any(a for _, a in counts.values())
            _, ax = plt.subplots(figsize=(7.0, 4.6 + 0.25 * rows), layout="constrained")
        extent = (float(self.x[0]), float(self.x[-1]), float(self.y[0]), float(self.y[-1]))
        ax.imshow(
            codes + 1,
            origin="lower",
            extent=extent,
            aspect="auto",
            interpolation="nearest",
            cmap=ListedColormap(colours),
            vmin=0,
            vmax=len(names),
        )
        present = [c for c, name in enumerate(names) if name in counts]
        artifacts = [c for c in present if counts[names[c]][1]]
        handles = [Patch(color=colours[c + 1], label=names[c]) for c in present if c not in artifacts]
        if not self.admissible.all():
            handles.append(Patch(color=colours[0], label="not admissible"))
        handles += [Patch(facecolor="white", edgecolor=colours[c + 1], hatch="////", label=names[c]) for c in artifacts]
        title = None
        if artifacts:
            sizes = ", ".join(str(counts[names[c]][0]) for c in artifacts)
            title = f"hatched: boundary artifacts, holding only at {sizes} grid point(s) on region boundaries"
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.13),
            fontsize="small",
            title=title,
            title_fontsize="small",
            frameon=False,
        )
        ax.set_xlabel(self.x_name)
        ax.set_ylabel(self.y_name)
        if self.fixed:
            ax.set_title(", ".join(f"{k} = {v:g}" for k, v in self.fixed.items()), fontsize="small")
        return ax

    def summary(self) -> str:
        """Grid, fixed values and the share of admissible points where each equilibrium holds."""
        lines = [
            f"RegionMap over {self.x_name} in [{self.x[0]:g}, {self.x[-1]:g}] ({len(self.x)} points) x "
            f"{self.y_name} in [{self.y[0]:g}, {self.y[-1]:g}] ({len(self.y)} points)"
        ]
        if self.fixed:
            lines.append("  fixed: " + ", ".join(f"{k} = {v:g}" for k, v in self.fixed.items()))
        lines.append(f"  admissible: {self.admissible.mean():.1%} of the grid")
        for lab, share in self.share.items():
            lines.append(f"  {lab}: holds on {share:.1%} of the admissible grid")
        for name, n, artifact in self.pattern_counts():
            if artifact:
                lines.append(
                    f"  boundary artifact: {name} hold together only at {n} grid point(s), on region boundaries"
                )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{_html(lab)}</td><td>{share:.1%}</td></tr>" for lab, share in self.share.items())
        head = _html(self.summary().splitlines()[0])
        return f"<p>{head}</p><table><tr><th>equilibrium</th><th>share of admissible grid</th></tr>{rows}</table>"


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def region_map(
    source: Any,
    x: tuple[Any, ...],
    y: tuple[Any, ...],
    fixed: Mapping[Any, float] | None = None,
    resolution: int | tuple[int, int] = 200,
) -> RegionMap:
    """Evaluate which equilibria hold on a grid of two parameters, the others fixed.

    Parameters
    ----------
    source : NormalFormGame, Solution, or iterable of equilibria
        Anything whose equilibria carry ``conditions``: a symbolic game (solved with
        ``solve()``), a :class:`~gvcgames.Solution` (e.g. of a ContinuousGame, or the result
        of ``pure_equilibria()``), or a list of equilibria.
    x, y : tuple
        ``(parameter, low, high)`` for an evenly spaced axis, or ``(parameter, values)`` with
        increasing values; ``parameter`` is a name or a symbol.
    fixed : mapping, optional
        Values of every other parameter that the conditions or assumptions use.
    resolution : int or (int, int)
        Grid points per axis (for the ``(parameter, low, high)`` form).

    Returns
    -------
    RegionMap

    Raises
    ------
    InvalidSpecError
        An unknown parameter name, the same parameter on both axes, an empty or
        non-increasing range, or a resolution below 2.
    InvalidValuesError
        Missing or non-finite fixed values.

    Examples
    --------
    Hawk-dove with value ``V`` and cost ``C``: (hawk, hawk) is an equilibrium iff ``V >= C``.

    >>> import gvcgames as gg
    >>> V, C = gg.parameters("V C", positive=True)
    >>> hd = gg.NormalFormGame(["row", "col"], [["hawk", "dove"], ["hawk", "dove"]],
    ...     [[((V - C) / 2, (V - C) / 2), (V, 0)], [(0, V), (V / 2, V / 2)]])
    >>> rm = region_map(hd, ("V", 0.5, 4), ("C", 0.5, 4), resolution=8)
    >>> rm.labels
    ('pure (hawk, hawk)', 'pure (hawk, dove)', 'pure (dove, hawk)', 'mixed (supports {hawk, dove} x {hawk, dove})')
    >>> bool(rm.holds[0][rm.y[:, None] <= rm.x[None, :]].all())
    True
    >>> rm.to_frame().shape
    (64, 8)
    """
    equilibria, game = _equilibria_of(source)
    conditions = [sp.sympify(getattr(eq, "conditions", sp.true)) for eq in equilibria]
    labels = _labels(equilibria)
    admissible_cond = _admissible_condition(game)
    known = _known_symbols(game, [*conditions, admissible_cond])
    by_name = {s.name: s for s in known}
    sx, xs = _axis(x, "x", by_name, resolution, 0)
    sy, ys = _axis(y, "y", by_name, resolution, 1)
    if sx == sy:
        raise InvalidSpecError(f"x and y must be different parameters, both are {sx.name!r}")
    fixed_values = _fixed(fixed or {}, by_name, (sx, sy))
    for name, value in fixed_values.items():
        if not _in_domain(by_name[name], np.array(value)):
            raise InvalidValuesError(f"fixed value {name} = {value:g} is outside its domain {by_name[name].domain}")
    subs = {by_name[k]: v for k, v in fixed_values.items()}
    needed = set().union(*(c.free_symbols for c in [*conditions, admissible_cond])) - {sx, sy}
    missing = sorted(s.name for s in needed if s not in subs)
    if missing:
        raise InvalidValuesError(f"fixed values are missing for {missing}; pass fixed={{name: value, ...}}")
    # broadcasting row and column vectors: terms in one parameter cost len(x) or len(y), not the grid
    X, Y = xs[None, :], ys[:, None]
    evaluate = _GridEvaluator(sx, sy, X, Y)
    holds = np.stack([evaluate(c.xreplace(subs)) for c in conditions]) if conditions else None
    admissible = evaluate(admissible_cond.xreplace(subs)) & _in_domain(sx, X) & _in_domain(sy, Y)
    if holds is None:
        holds = np.zeros((0, len(ys), len(xs)), dtype=bool)
    holds &= admissible
    return RegionMap(
        sx.name,
        sy.name,
        xs,
        ys,
        tuple(labels),
        holds,
        admissible,
        fixed_values,
        tuple(c.xreplace(subs) for c in conditions),
    )


def _equilibria_of(source: Any) -> tuple[list[Any], Any]:
    from gvcgames.results import Solution

    if isinstance(source, Solution):
        return list(source.equilibria), source.game
    if hasattr(source, "solve") and hasattr(source, "assumptions"):
        sol = source.solve()
        return list(sol.equilibria), source
    if isinstance(source, Iterable) and not isinstance(source, (str, bytes, Mapping)):
        eqs = list(source)
        bad = [type(e).__name__ for e in eqs if not hasattr(e, "conditions")]
        if bad:
            raise InvalidSpecError(
                f"region_map needs equilibria with .conditions; got items of type {sorted(set(bad))}"
            )
        return eqs, next((e.game for e in eqs if getattr(e, "game", None) is not None), None)
    raise InvalidSpecError(f"region_map needs a game, a Solution or a list of equilibria, got {type(source).__name__}")


def _labels(equilibria: Sequence[Any]) -> list[str]:
    out: list[str] = []
    for k, eq in enumerate(equilibria, 1):
        pure = getattr(eq, "pure_profile", None)
        if pure is not None:
            label = f"pure ({', '.join(pure)})"
        elif hasattr(eq, "pure_profile"):
            label = f"mixed ({eq.case})" if eq.case else "mixed"
        else:
            label = eq.case or f"equilibrium {k}"
        base, n = label, 2
        while label in out:  # labels are column names: keep them unique
            label, n = f"{base} #{n}", n + 1
        out.append(label)
    return out


def _admissible_condition(game: Any) -> sp.Boolean:
    """The game's assumptions (domains are checked numerically: see :func:`_in_domain`)."""
    return sp.And(*getattr(getattr(game, "assumptions", None), "relations", ()))


def _in_domain(sym: sp.Symbol, values: np.ndarray) -> np.ndarray:
    """Whether each value lies in the parameter's domain interval (True for plain symbols).

    Numeric, because sympy folds ``a > 0`` to True for a positive symbol.
    """
    domain = getattr(sym, "domain", None)
    if not isinstance(domain, sp.Interval):
        return np.ones(values.shape, dtype=bool)
    lo, hi = float(domain.inf), float(domain.sup)
    above = values > lo if domain.left_open else values >= lo
    below = values < hi if domain.right_open else values <= hi
    return above & below


def _known_symbols(game: Any, conditions: Sequence[sp.Boolean]) -> set[sp.Symbol]:
    known: set[sp.Symbol] = set(getattr(game, "parameters", ()) or ())
    for c in conditions:
        known |= c.free_symbols
    return known


def _axis(
    spec: tuple[Any, ...], which: str, by_name: Mapping[str, sp.Symbol], resolution: Any, k: int
) -> tuple[sp.Symbol, np.ndarray]:
    if not isinstance(spec, (tuple, list)) or len(spec) not in (2, 3):
        raise InvalidSpecError(f"{which} must be (parameter, low, high) or (parameter, values), got {spec!r}")
    name = spec[0].name if isinstance(spec[0], sp.Symbol) else spec[0]
    if name not in by_name:
        raise InvalidSpecError(
            f"{which}: {name!r} is not a parameter of these equilibria; parameters: {sorted(by_name)}"
        )
    if len(spec) == 3:
        n = resolution if isinstance(resolution, int) else resolution[k]
        if not isinstance(n, int | np.integer) or n < 2:
            raise InvalidSpecError(f"resolution must be an integer >= 2 per axis, got {resolution!r}")
        lo, hi = float(spec[1]), float(spec[2])
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            raise InvalidSpecError(f"{which}: the range of {name!r} is empty or not finite: [{lo}, {hi}]")
        values = np.linspace(lo, hi, int(n))
    else:
        values = np.asarray(spec[1], dtype=float).ravel()
        if values.size < 2 or not np.all(np.isfinite(values)) or np.any(np.diff(values) <= 0):
            raise InvalidSpecError(f"{which}: the values of {name!r} must be at least 2 finite, increasing numbers")
    return by_name[name], values


def _fixed(fixed: Mapping[Any, float], by_name: Mapping[str, sp.Symbol], axes: tuple[sp.Symbol, ...]) -> dict:
    out: dict[str, float] = {}
    for key, value in fixed.items():
        name = key.name if isinstance(key, sp.Symbol) else key
        if name not in by_name:
            raise InvalidSpecError(
                f"fixed: {name!r} is not a parameter of these equilibria; parameters: {sorted(by_name)}"
            )
        if by_name[name] in axes:
            raise InvalidSpecError(f"fixed: {name!r} is on an axis of the map; remove it from fixed")
        try:
            number = float(value)
        except (TypeError, ValueError) as exc:
            raise InvalidValuesError(f"fixed value of {name!r} must be a number, got {value!r}") from exc
        if not np.isfinite(number):
            raise InvalidValuesError(f"fixed value of {name!r} must be finite, got {value!r}")
        out[name] = number
    return out


class _GridEvaluator:
    """Evaluate Boolean conditions on a grid given as a row ``X`` (1, nx) and a column ``Y`` (ny, 1).

    And/Or/Not are combined with numpy; each distinct inequality is lambdified once and
    evaluated with broadcasting, so a term in one parameter costs ``nx`` or ``ny`` operations,
    and inequalities shared by several conditions are computed once.
    """

    def __init__(self, sx: sp.Symbol, sy: sp.Symbol, X: np.ndarray, Y: np.ndarray) -> None:
        self.args = (sx, sy)
        self.X, self.Y = X, Y
        self.shape = (Y.shape[0], X.shape[1])
        self.cache: dict[sp.Basic, np.ndarray] = {}

    def __call__(self, cond: sp.Boolean) -> np.ndarray:
        return np.broadcast_to(self._eval(cond), self.shape).copy()

    def _eval(self, cond: sp.Boolean) -> np.ndarray:
        if cond is sp.true or cond is sp.false:
            return np.array(bool(cond))
        if isinstance(cond, sp.And):
            return self._fold(np.logical_and, cond.args)
        if isinstance(cond, sp.Or):
            return self._fold(np.logical_or, cond.args)
        if isinstance(cond, sp.Not):
            return np.logical_not(self._eval(cond.args[0]))
        if cond not in self.cache:
            fn = sp.lambdify(self.args, cond, modules="numpy")
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                try:
                    value = fn(self.X, self.Y)
                except ValueError:  # e.g. Min/Max print as amin((a, b)), which needs equal shapes
                    value = fn(*np.broadcast_arrays(self.X, self.Y))
            self.cache[cond] = np.asarray(value, dtype=bool)
        return self.cache[cond]

    def _fold(self, op: Any, args: Sequence[sp.Boolean]) -> np.ndarray:
        out = self._eval(args[0])
        for a in args[1:]:
            out = op(out, self._eval(a))
        return out
