"""How robust the ranking is: weight sensitivity, SMAA-2, scenarios and methods side by side; and how
it moves over the years (monitoring).

- :mod:`.ties`: ranks and rank statistics for many score vectors at once;
- :mod:`.sensitivity`: each criterion's weight swept from 0 to 1, stability intervals;
- :mod:`.smaa`: SMAA-2 rank acceptability, central weights, confidence factors;
- :mod:`.scenarios`: what-if scenarios lined up region by region;
- :mod:`.methods`: the case under several methods, with rank correlations;
- :mod:`.monitor`: a panel case's regions over the years on fixed goalposts, and past support beside the others.

The budget under the sampled weights is allocation's (mcda.allocation.resample); the
pipeline joins the two.
"""
