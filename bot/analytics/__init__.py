"""Shop analytics: confidence intervals and the A/B verdict (adaptive bot against the holdout),
report periods, charts (PNG) and CSV files. Pure computation: the numbers come from
`storage.queries`, the words from `bot.texts`."""
