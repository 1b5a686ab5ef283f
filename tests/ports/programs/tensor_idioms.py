# Everyday tensor manipulation from PyTorch code: cat and stack, topk and sort, argmax,
# max(1) as (values, indices), std(0) (the unbiased estimate), einsum, gather for picking
# per-row entries, masked_fill for attention masks, where, allclose and equal, expand_as.
import numpy as np
import torch

rng = np.random.default_rng(13)
scores = torch.from_numpy(rng.normal(size=(4, 6)))
others = torch.from_numpy(rng.normal(size=(4, 6)))

joined = torch.cat([scores, others], dim=0)
stacked = torch.stack([scores, others], dim=1)
top_values, top_indices = scores.topk(3, dim=1)
sorted_values, order = torch.sort(scores[0], descending=True)
best = scores.argmax(dim=1)
row_max, row_argmax = scores.max(1)
column_spread = scores.std(0)
column_var = scores.var(0)

queries = torch.from_numpy(rng.normal(size=(2, 3, 5)))
keys = torch.from_numpy(rng.normal(size=(2, 4, 5)))
attention = torch.einsum("bqd,bkd->bqk", queries, keys)
mask = torch.triu(torch.ones(3, 4, dtype=torch.bool), diagonal=1)
attention = attention.masked_fill(mask, float("-inf")).softmax(dim=-1)
trace = torch.einsum("ii", scores[:, :4])

labels = torch.tensor([5, 0, 2, 2])
picked = scores.gather(1, labels.unsqueeze(1)).squeeze(1)
clipped = torch.where(scores > 0, scores, torch.zeros_like(scores))
agree = torch.allclose(clipped, scores.clamp(min=0))
identical = torch.equal(joined[:4], scores)
bias = torch.arange(6, dtype=torch.float64).expand_as(scores)
