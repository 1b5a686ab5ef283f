"""Early stopping: stop training once the validation metric stops improving, and keep the
model's state from its best epoch."""
import copy
import math

__all__ = ["EarlyStopping"]


class EarlyStopping:
    """Call ``step(metric, model)`` once per epoch; it returns True once ``patience`` epochs
    in a row have brought no improvement of more than ``min_delta`` (below the best in
    ``mode='min'``, above it in ``mode='max'``). A NaN metric is never an improvement.

    It keeps ``best`` (the best metric), ``best_epoch`` (the index, from 0, of the call that
    saw it), ``num_bad_epochs`` (epochs since then) and, when ``step`` is given the model,
    ``best_state`` (a copy of ``model.state_dict()`` at the best epoch), which
    ``restore_best(model)`` loads back.

    >>> stopper = optim.EarlyStopping(patience=5)
    >>> for epoch in range(100):
    ...     train_one_epoch()
    ...     if stopper.step(validation_loss(), model):
    ...         break
    >>> stopper.restore_best(model)
    """

    def __init__(self, patience=10, min_delta=0.0, mode="min"):
        if not (isinstance(patience, int) and patience >= 0):
            raise ValueError(f"EarlyStopping: patience must be an int >= 0, got {patience!r}")
        if not min_delta >= 0:
            raise ValueError(f"EarlyStopping: min_delta must be >= 0, got {min_delta}")
        if mode not in ("min", "max"):
            raise ValueError(f"EarlyStopping: mode must be 'min' (for a loss) or 'max' (for an "
                             f"accuracy), got {mode!r}")
        self.patience, self.min_delta, self.mode = patience, min_delta, mode
        self.best = math.inf if mode == "min" else -math.inf
        self.best_epoch = None
        self.best_state = None
        self.num_bad_epochs = 0
        self.epoch = -1

    def _improves(self, metric):
        if self.mode == "min":
            return metric < self.best - self.min_delta
        return metric > self.best + self.min_delta

    def step(self, metric, model=None):
        """Record this epoch's metric (a number or a 0-d Tensor); True means stop."""
        metric = float(metric)
        self.epoch += 1
        if self._improves(metric):
            self.best, self.best_epoch, self.num_bad_epochs = metric, self.epoch, 0
            if model is not None:
                self.best_state = model.state_dict()  # a Module's state_dict is a copy
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs > 0 and self.num_bad_epochs >= self.patience

    def restore_best(self, model):
        """Load the state saved at the best epoch into ``model``.

        >>> stopper.restore_best(model)
        """
        if self.best_state is None:
            raise ValueError("EarlyStopping.restore_best: no state was saved; pass the model "
                             "to step(metric, model) so the best epoch's state is kept")
        model.load_state_dict(self.best_state)

    def state_dict(self):
        """The counters, the best metric and the best state, a copy (to resume training).

        >>> checkpoint["early_stopping"] = stopper.state_dict()
        """
        return copy.deepcopy(vars(self))

    def load_state_dict(self, state_dict):
        """Restore what `state_dict` saved.

        >>> stopper.load_state_dict(checkpoint["early_stopping"])
        """
        vars(self).update(copy.deepcopy(state_dict))
