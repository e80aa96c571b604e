"""Seeded generator of whole county portal farms (issue 9: prove discovery generalises).

Each portal's platform family, labels, menu forms, URL shapes, page templates, pagers,
attachments and decoys are drawn under a seed from wide lists: `vocab.py` (training variants)
or `heldout.py` (held-out variants that the crawler code must never learn; a test checks that
none of their labels appears in crawler/). `build.generate(root, seed, heldout=…)` writes a farm
served by crawler.samples_server and its answer key (`_answer.json`: every report row with all
the URLs it may be found at, decoys, problem pages); `score.py` compares exported records with it.
"""
