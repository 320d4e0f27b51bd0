"""Results -> what people and other tools read: text tables, CSV and JSON.

- :mod:`.tables`: the shared shapes (tables, CSV, JSON; ranks and numbers in them);
- :mod:`.weights`, :mod:`.ranking`, :mod:`.allocation`, :mod:`.robustness`: one module per
  kind of result (the shapes README documents for each verb).

These take results and never compute: every number they show was computed in the pipeline.
"""
