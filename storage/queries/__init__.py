"""Analytics SQL for the admin commands: /stats, /stats ab, /sources (`metrics`), /segments
(`segments`), the activity chart (`activity`) and /export (`export`).

Every function takes an `AsyncSession` and runs alike on SQLite and PostgreSQL; the metric
definitions are in `metrics`' docstring, the shared SQL pieces (period, segment) in
`common`, the statements behind the figures in `cube`. Nothing here commits.
"""
