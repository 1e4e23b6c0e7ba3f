#!/usr/bin/env python3
"""Reference values for Tests/StatisticsTests, computed with scipy and statsmodels.

Writes Tests/StatisticsTests/Fixtures/reference.json. Run it with the test venv's python after
installing scipy and statsmodels (`scripts/install-test-tools` does); the file is committed so the
Swift tests need neither. Every case is drawn from a fixed numpy seed.
"""
import itertools, json, math, os, sys
import numpy as np
from scipy import stats, special
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import TTestIndPower, TTestPower
from statsmodels.stats.meta_analysis import effectsize_smd

rng = np.random.default_rng(20261129)
out = {"generated_by": "scripts/statistics-reference.py",
       "versions": {"numpy": np.__version__, "scipy": __import__("scipy").__version__,
                    "statsmodels": __import__("statsmodels").__version__}}

def sample(n, loc=0.0, scale=1.0):
    return [float(x) for x in np.round(rng.normal(loc, scale, n), 6)]

out["normal"] = [{"z": z, "cdf": float(stats.norm.cdf(z)), "p": p, "quantile": float(stats.norm.ppf(p))}
                 for z, p in zip(list(np.round(rng.uniform(-8, 8, 24), 4)) + [0.0],
                                 list(rng.uniform(1e-6, 1 - 1e-6, 22)) + [1e-12, 0.5, 1 - 1e-9])]
out["beta"] = [{"x": x, "a": a, "b": b, "value": float(special.betainc(a, b, x))}
               for x, a, b in zip(rng.uniform(0, 1, 25), rng.uniform(0.2, 40, 25), rng.uniform(0.2, 40, 25))]
dfs = [0.7, 1, 1.5, 2, 3, 4.3, 5, 7, 9.9, 12, 20, 30, 55.5, 100, 1000]
out["student_t"] = []
for i in range(30):
    df = dfs[i % len(dfs)]
    t = float(np.round(rng.normal(0, 3), 4))
    p = float(rng.uniform(0.001, 0.999))
    out["student_t"].append({"t": t, "df": df, "cdf": float(stats.t.cdf(t, df)), "sf": float(stats.t.sf(t, df)),
                             "p": p, "quantile": float(stats.t.ppf(p, df))})
out["noncentral_t"] = []
for i in range(30):
    df = dfs[(i + 3) % len(dfs)] + 1
    nc = float(np.round(rng.uniform(-6, 6), 3))
    t = float(np.round(rng.normal(nc, 3), 3))
    out["noncentral_t"].append({"t": t, "df": df, "nc": nc, "cdf": float(stats.nct.cdf(t, df, nc))})

def t_cases():
    cases = []
    for i in range(24):
        na, nb = int(rng.integers(2, 25)), int(rng.integers(2, 25))
        a = sample(na, rng.normal(0, 1), rng.uniform(0.1, 3))
        b = sample(nb, rng.normal(0, 1), rng.uniform(0.1, 3))
        cases.append((a, b))
    return cases

out["t_tests"] = []
for a, b in t_cases():
    case = {"a": a, "b": b}
    for kind, equal in (("welch", False), ("student", True)):
        r = stats.ttest_ind(a, b, equal_var=equal)
        ci = r.confidence_interval(0.95)
        case[kind] = {"t": float(r.statistic), "df": float(r.df),
                      "p_less": float(stats.ttest_ind(a, b, equal_var=equal, alternative="less").pvalue),
                      "p_greater": float(stats.ttest_ind(a, b, equal_var=equal, alternative="greater").pvalue),
                      "ci_low": float(ci.low), "ci_high": float(ci.high)}
    n = min(len(a), len(b))
    r = stats.ttest_rel(a[:n], b[:n])
    ci = r.confidence_interval(0.95)
    case["paired"] = {"n": n, "t": float(r.statistic), "df": float(r.df),
                      "p_less": float(stats.ttest_rel(a[:n], b[:n], alternative="less").pvalue),
                      "p_greater": float(stats.ttest_rel(a[:n], b[:n], alternative="greater").pvalue),
                      "ci_low": float(ci.low), "ci_high": float(ci.high)}
    mu = float(np.round(rng.normal(0, 1), 3))
    r = stats.ttest_1samp(a, mu)
    ci = r.confidence_interval(0.95)
    case["one_sample"] = {"mu": mu, "t": float(r.statistic), "df": float(r.df),
                          "p_less": float(stats.ttest_1samp(a, mu, alternative="less").pvalue),
                          "p_greater": float(stats.ttest_1samp(a, mu, alternative="greater").pvalue),
                          "ci_low": float(ci.low), "ci_high": float(ci.high)}
    smd, _ = effectsize_smd(np.mean(a), np.std(a, ddof=1), len(a), np.mean(b), np.std(b, ddof=1), len(b))
    sp = math.sqrt(((len(a) - 1) * np.var(a, ddof=1) + (len(b) - 1) * np.var(b, ddof=1)) / (len(a) + len(b) - 2))
    case["cohens_d"] = float((np.mean(a) - np.mean(b)) / sp)
    case["hedges_g"] = float(smd)
    case["iqm_a"] = float(stats.trim_mean(a, 0.25))
    case["median_a"] = float(np.median(a))
    out["t_tests"].append(case)

out["mann_whitney"] = []
for i in range(30):
    na, nb = int(rng.integers(1, 12)), int(rng.integers(1, 12))
    if i % 3 == 0:  # ties
        a = [float(x) for x in rng.integers(0, 5, na)]
        b = [float(x) for x in rng.integers(0, 5, nb)]
        method = "asymptotic"
    else:
        a, b = sample(na, rng.normal(0, 1)), sample(nb)
        method = "exact" if i % 3 == 1 else "asymptotic"
        if method == "asymptotic" and na + nb < 4:
            a, b = sample(6, 0.5), sample(7)
    case = {"a": a, "b": b, "method": method}
    if method == "asymptotic" and len(set(a + b)) == 1:
        b = b + [b[0] + 1.0]
        case["b"] = b
    for alternative in ("greater", "less"):
        r = stats.mannwhitneyu(a, b, alternative=alternative, method=method)
        case["p_" + alternative] = float(r.pvalue)
    case["u"] = float(stats.mannwhitneyu(a, b, alternative="greater", method=method).statistic)
    out["mann_whitney"].append(case)

out["holm"] = []
for i in range(25):
    m = int(rng.integers(1, 9))
    p = [float(x) for x in rng.uniform(0, 0.2, m) ** 2]
    if i % 5 == 0 and m > 1:
        p[1] = p[0]  # a tie
    rejected, adjusted, _, _ = multipletests(p, alpha=0.05, method="holm")
    out["holm"].append({"p": p, "adjusted": [float(x) for x in adjusted], "rejected": [bool(x) for x in rejected]})
# Holm's own textbook example (Holm 1979 style): four p-values at alpha 0.05.
out["holm"].append({"p": [0.01, 0.04, 0.03, 0.005], "adjusted": [0.03, 0.06, 0.06, 0.02], "rejected": [True, False, False, True]})

out["power"] = []
for i in range(30):
    d = float(np.round(rng.uniform(0.1, 1.2), 3))
    n1 = int(rng.integers(2, 60))
    ratio = float(rng.choice([1.0, 1.5, 0.5, 2.0]))
    alpha = float(rng.choice([0.05, 0.01, 0.1]))
    alternative = ["larger", "two-sided", "smaller"][i % 3]
    sign = -1 if alternative == "smaller" else 1
    case = {"d": sign * d, "n1": n1, "ratio": ratio, "alpha": alpha, "alternative": alternative,
            "power_ind": float(TTestIndPower().power(effect_size=sign * d, nobs1=n1, alpha=alpha, ratio=ratio, alternative=alternative)),
            "power_one": float(TTestPower().power(effect_size=sign * d, nobs=max(n1, 2), alpha=alpha, alternative=alternative))}
    if d >= 0.2:
        case["n_ind"] = int(math.ceil(TTestIndPower().solve_power(effect_size=sign * d, alpha=alpha, power=0.8, ratio=1.0, alternative=alternative) - 1e-9))
        case["n_one"] = int(math.ceil(TTestPower().solve_power(effect_size=sign * d, alpha=alpha, power=0.8, alternative=alternative) - 1e-9))
    out["power"].append(case)

# Bootstrap intervals on the exact bootstrap distribution: every resample of tiny samples, each
# equally likely, and scipy's BCa formulas (scipy.stats._resampling._bca_interval) applied to it.
def exact_interval(samples, statistic, level, method):
    resamples = [list(itertools.product(s, repeat=len(s))) for s in samples]
    theta_b = np.array([statistic(*[np.array(r) for r in combo]) for combo in itertools.product(*resamples)])
    alpha = (1 - level) / 2
    if method == "percentile":
        lo, hi = alpha, 1 - alpha
    else:
        theta_hat = statistic(*[np.array(s) for s in samples])
        z0 = stats.norm.ppf(np.mean(theta_b < theta_hat))
        nums, dens = 0.0, 0.0
        for j, s in enumerate(samples):
            jack = []
            for i in range(len(s)):
                reduced = [np.array(x) for x in samples]
                reduced[j] = np.delete(np.array(s), i)
                jack.append(statistic(*reduced))
            jack = np.array(jack)
            n = len(s)
            u = (n - 1) * (jack.mean() - jack)
            nums += (u ** 3).sum() / n ** 3
            dens += (u ** 2).sum() / n ** 2
        a = nums / (6 * dens ** 1.5)
        za = stats.norm.ppf(alpha)
        lo = stats.norm.cdf(z0 + (z0 + za) / (1 - a * (z0 + za)))
        hi = stats.norm.cdf(z0 + (z0 - za) / (1 - a * (z0 - za)))
    return float(np.percentile(theta_b, lo * 100)), float(np.percentile(theta_b, hi * 100))

out["bootstrap"] = []
for i in range(20):
    if i % 2 == 0:
        samples = [sample(int(rng.integers(3, 7)), 0, rng.uniform(0.5, 2))]
        stat_name = "mean"
        statistic = lambda x: float(np.mean(x))
    else:
        samples = [sample(int(rng.integers(3, 5))), sample(int(rng.integers(3, 5)), 0.3)]
        stat_name = "mean_difference"
        statistic = lambda x, y: float(np.mean(x) - np.mean(y))
    case = {"samples": samples, "statistic": stat_name}
    for method in ("percentile", "bca"):
        case[method] = exact_interval(samples, statistic, 0.9, method)
    out["bootstrap"].append(case)

# The sequential test's Bayes factor as a ratio of densities of the t statistic (Wijsman's
# representation): the noncentral t density averaged over delta ~ N(0, g), over the central density.
from scipy import integrate
out["sequential"] = []
for i in range(24):
    nu = float(rng.integers(2, 40))
    n_eff = float(np.round(rng.uniform(1, 20), 2))
    g = float(rng.choice([0.5, 1.0, 2.0]))
    t = float(np.round(rng.normal(0, 2.5), 3))
    num, _ = integrate.quad(lambda d: stats.nct.pdf(t, nu, d * math.sqrt(n_eff)) * stats.norm.pdf(d, 0, math.sqrt(g)), -40, 40, limit=400, epsabs=1e-14)
    out["sequential"].append({"t": t, "nu": nu, "n_eff": n_eff, "g": g, "evidence": float(num / stats.t.pdf(t, nu))})

path = os.path.join(os.path.dirname(__file__), "..", "Tests", "StatisticsTests", "Fixtures", "reference.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", os.path.normpath(path))
