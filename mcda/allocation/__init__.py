"""The support budget split between the regions: a linear programme in PuLP (pulp lives here only).

- :mod:`.benefit`: scores -> benefit weights; the benefit of any allocation; the rules it breaks;
- :mod:`.rules`: a case's budget rules and a ranking -> the numeric problem;
- :mod:`.lp`: the LP/MILP, the solvers, their status and duals;
- :mod:`.diagnose`: why rules cannot all hold (an elastic model);
- :mod:`.reasons`: why each region got what it got;
- :mod:`.solve`: the optimum and its working (duals, shadow prices, simple splits compared);
- :mod:`.sweep`: the optimum over a range of budgets;
- :mod:`.resample`: the allocation re-solved for many score vectors (SMAA's samples).

Allocation takes a ranking and never ranks.
"""
