"""Everything that reads what people write, validated once, into a Case.

- :mod:`.fields`: typed TOML fields (the key named in every error);
- :mod:`.catalogue`: criteria/*.toml -> Catalogue;
- :mod:`.judgements`: pairwise matrices as written (rows of cells, a CSV file);
- :mod:`.csvfile`: the data CSV as rows as wide as the header (encoding, quotes, field counts checked at the line);
- :mod:`.casefile`: case.toml + the data CSV -> Case;
- :mod:`.datacheck`: the data's values fit their use (finite, counts not negative, denominators positive);
- :mod:`.budget`: the budget rules, and their check against the data;
- :mod:`.overrides`: ``--set PATH=VALUE`` -> a new Case;
- :mod:`.scenarios`: a scenario file -> (scenario, Case) pairs;
- :mod:`.load`: one door for a folder, a case.toml or a workbook;
- :mod:`.workbook`: the planners' input workbook (layout, write, read).

Nothing here computes a result: what-if weights are recorded (``Weighting.fixed``) and
given their meaning by mcda.weighting.
"""
