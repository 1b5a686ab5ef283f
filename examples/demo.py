"""The main job, ``python -m examples.demo`` (``--help`` lists the options).

First a short tour of the engine: it backpropagates through the course notes' worked example
and a tiny two-layer net, checks the gradients against finite differences and draws both
graphs. Then it trains a small convolutional network on the bundled 8x8 digits with the
course notes' recipe (train/validation/test split, augmentation, a schedule, early stopping
on the validation loss) and writes loss curves, the model's graph and its activation
histograms to the output folder (default ``demo-output/``).
"""
import argparse
import math
import os
import time

import numpy as np

import autograd
from autograd import viz


def worked_example():
    """L = -log(sigmoid(w * x)) at w = x = 3, whose gradient is easy to work out by hand."""
    w = autograd.tensor(3.0, requires_grad=True, dtype="float64")
    x = autograd.tensor(3.0, requires_grad=True, dtype="float64")
    L = -autograd.log(autograd.sigmoid(w * x))
    L.backward()
    by_hand = -3 * (1 - 1 / (1 + math.exp(-9)))  # dL/dw = -x (1 - sigmoid(w x))
    print("1. The worked example: L = -log(sigmoid(w * x)) at w = 3, x = 3")
    print(f"   L = {L.item():.6g}")
    print(f"   dL/dw from backward: {w.grad.item():.5g}")
    print(f"   dL/dw by hand, -x (1 - sigmoid(w x)): {by_hand:.5g}")
    return autograd.draw_graph(L, names={"w": w, "x": x, "L": L})


def two_layer_net():
    """A 2 -> 3 -> 1 tanh net fitting XOR's four points by squared error, in float64."""
    rng = np.random.default_rng(0)
    X = autograd.tensor([[0, 0], [0, 1], [1, 0], [1, 1]], dtype="float64")
    y = autograd.tensor([[0], [1], [1], [0]], dtype="float64")
    params = [autograd.tensor(0.5 * rng.normal(size=shape), requires_grad=True)
              for shape in [(2, 3), (3,), (3, 1), (1,)]]

    def loss(W1, b1, W2, b2):
        h = autograd.tanh(X @ W1 + b1)
        return ((h @ W2 + b2 - y) ** 2).mean()

    out = loss(*params)
    # drawn before backward, which frees the arrays behind the constants' labels (X, y)
    names = dict(zip(["W1", "b1", "W2", "b2", "X", "y", "loss"], params + [X, y, out]))
    graph = autograd.draw_graph(out, names=names)
    out.backward()
    print("\n2. A tiny two-layer net (2 -> 3 -> 1, tanh) on XOR's four points")
    print(f"   loss = {out.item():.4f}")
    for name, p in zip(["W1", "b1", "W2", "b2"], params):
        print(f"   d loss/d {name}: shape {p.grad.shape}, "
              f"norm {np.linalg.norm(p.grad.numpy()):.4f}")
    # central differences in float64 agree with backward, or gradcheck raises and says where
    autograd.gradcheck(loss, params)
    print("   gradcheck (float64, central differences): backward agrees")
    return graph


def tour(outdir="demo-output"):
    """The engine tour (worked example, two-layer net, gradient check), writing the pictures
    of both graphs to ``outdir``; return the paths written."""
    print("autograd demo: reverse-mode autodiff you can look at\n")
    graphs = {"worked_example": worked_example(), "two_layer_net": two_layer_net()}
    print("\n3. Pictures of the graphs (ovals are ops, boxes tensors; blue boxes are "
          "parameters, green the output)")
    os.makedirs(outdir, exist_ok=True)
    written = _render(graphs, outdir)
    if written:
        print("   In Jupyter, autograd.draw_graph(L) shows the picture inline.")
    return written


def _render(graphs, outdir):
    """Each graph as SVG and PNG in ``outdir``; without Graphviz's ``dot``, say how to get it."""
    written = []
    try:
        for name, graph in graphs.items():
            for fmt in ("svg", "png"):
                written.append(viz.render(graph, os.path.join(outdir, name), format=fmt))
    except viz.GraphvizNotFoundError:
        print("   Graphviz's `dot` is not installed, so no graph picture was written.")
        print(f"   {viz.INSTALL_GRAPHVIZ}.")
        return []
    for path in written:
        print(f"   wrote {path}")
    return written


# ------------------------------------------------------------------ training on the digits
def build_model(kind="cnn"):
    """The demo's classifiers of 1x8x8 digit images into 10 classes."""
    import nn

    if kind == "cnn":
        return nn.Sequential(
            nn.Conv2d(1, 24, 3, padding=1), nn.BatchNorm2d(24), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(24, 48, 3, padding=1), nn.BatchNorm2d(48), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Dropout(0.2), nn.Linear(48 * 2 * 2, 10))
    if kind == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(64, 128), nn.BatchNorm1d(128), nn.ReLU(),
                             nn.Dropout(0.2), nn.Linear(128, 10))
    raise ValueError(f"build_model: kind must be 'cnn' or 'mlp', got {kind!r}")


def _evaluate(model, loader, scaler):
    """Mean cross-entropy and accuracy over ``loader``, in eval mode."""
    import nn.functional as F

    model.eval()
    total_loss = correct = count = 0
    with autograd.no_grad():
        for x, y in loader:
            logits = model(scaler.transform(x))
            total_loss += F.cross_entropy(logits, y, reduction="sum").item()
            correct += int((logits.argmax(axis=1).numpy() == y.numpy()).sum())
            count += len(y)
    model.train()
    return total_loss / count, correct / count


def train_digits(model="cnn", epochs=30, seed=0, optimizer="adam", patience=6, batch_size=64,
                 progress=True, outdir="demo-output"):
    """Train ``build_model(model)`` on the bundled digits (70/15/15% train/validation/test
    split, random 1-pixel shifts as augmentation, standardized with the training set's
    statistics) with Adam (lr 3e-3) or SGD (lr 0.05, momentum 0.9) and a cosine schedule;
    stop early when the validation loss has not improved for ``patience`` epochs and keep
    the best epoch's weights. Prints one line per epoch and the test accuracy; writes
    the pictures to ``outdir``. Returns ``(test_accuracy, history, paths_written)``."""
    import nn
    import nn.functional as F
    import optim
    from autograd.utils import data

    autograd.manual_seed(seed)
    images, labels = data.load_digits()
    digits = data.TensorDataset(images[:, None], labels)  # (N, 1, 8, 8), pixels 0..16
    train_set, val_set, test_set = data.random_split(digits, [0.7, 0.15, 0.15])
    scaler = data.Standardize(axis=None).fit(images[train_set.indices, None])
    augment = data.RandomCrop(8, padding=1)  # shift by up to a pixel; never flip a digit
    train_loader = data.DataLoader(train_set, batch_size=batch_size, shuffle=True)
    val_loader, test_loader = (data.DataLoader(s, batch_size=512) for s in (val_set, test_set))
    print(f"   digits: {len(train_set)} training, {len(val_set)} validation, {len(test_set)} "
          f"test images of 8x8 pixels")

    net = build_model(model)
    print(f"   model: {model}, {sum(p.size for p in net.parameters()):,} parameters")
    if optimizer == "adam":
        opt = optim.Adam(net.parameters(), lr=3e-3)
    else:
        opt = optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    schedule = optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
    stopper = optim.EarlyStopping(patience=patience)
    history, update_ratios = nn.utils.History(), []

    start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        correct = seen = 0
        bar = autograd.utils.progress(train_loader, desc=f"epoch {epoch:2d}", leave=False,
                                enabled=progress)
        for step, (x, y) in enumerate(bar):
            logits = net(scaler.transform(augment(x)))
            loss = F.cross_entropy(logits, y)
            opt.zero_grad()
            loss.backward()
            if step == 0:  # one step per epoch through update_stats: the notes' ~1e-3 ratio
                update_ratios.append(nn.utils.update_stats(net, opt))
            else:
                opt.step()
            history.log_step(loss=loss.item())
            correct += int((logits.argmax(axis=1).numpy() == y.numpy()).sum())
            seen += len(y)
        lr = schedule.get_last_lr()[0]
        schedule.step()
        val_loss, val_acc = _evaluate(net, val_loader, scaler)
        train_loss = float(np.mean(history.steps["loss"][-len(train_loader):]))
        history.log_epoch(train_loss=train_loss, train_acc=correct / seen, val_loss=val_loss,
                          val_acc=val_acc, lr=lr)
        print(f"   epoch {epoch:2d}  lr {lr:.4f}  train loss {train_loss:.3f} acc "
              f"{correct / seen:6.1%}  val loss {val_loss:.3f} acc {val_acc:6.1%}")
        if stopper.step(val_loss, net):
            print(f"   early stop: no better validation loss for {patience} epochs")
            break
    stopper.restore_best(net)
    print(f"   best validation loss {stopper.best:.3f} at epoch {stopper.best_epoch + 1}; "
          f"trained in {time.perf_counter() - start:.1f} s")
    written = _training_pictures(net, history, update_ratios, scaler, val_set, outdir)
    test_loss, test_acc = _evaluate(net, test_loader, scaler)
    print(f"   test loss: {test_loss:.3f}")
    print(f"test accuracy: {100 * test_acc:.1f}%")
    return test_acc, history, written


def _training_pictures(net, history, update_ratios, scaler, val_set, outdir):
    """Loss curves, update ratios and activation histograms (PNG, needs matplotlib) and the
    model's graph for one batch after backward, in the gradient-flow view (SVG and PNG, needs
    Graphviz's dot)."""
    import nn

    os.makedirs(outdir, exist_ok=True)
    x, y = val_set.get_batch(np.arange(64))
    inputs = scaler.transform(x)
    written = []
    try:
        import matplotlib

        matplotlib.use("Agg")  # a script writing files: no window
        import matplotlib.pyplot as plt
    except ImportError:
        print("   matplotlib is not installed, so no plots were written "
              "(pip install 'backproplab[plot]').")
    else:
        fig, (left, middle, right) = plt.subplots(1, 3, figsize=(16, 4))
        nn.utils.plot_loss(history, ax=left)
        nn.utils.plot_accuracy(history, ax=middle)
        nn.utils.plot_update_ratios(update_ratios, ax=right)
        right.set_xlabel("epoch (first step)")
        written.append(_save(fig, os.path.join(outdir, "loss_curves.png")))
        net.eval()
        stats = nn.utils.activation_stats(net, inputs)
        net.train()
        written.append(_save(nn.utils.plot_activation_histograms(stats),
                             os.path.join(outdir, "activation_histograms.png")))
        plt.close("all")
    written += _render({"model_graph": model_graph(net, inputs, y)}, outdir)
    for path in written:
        if path.endswith(".png") and "graph" not in path:
            print(f"   wrote {path}")
    return written


def model_graph(net, inputs, y):
    """The graph of ``net``'s cross-entropy on one batch after backward: one box per module
    and one for the loss (a traced `nn.CrossEntropyLoss`, not its loose ops), coloured by
    the norm of its gradient, failure modes flagged (the gradient-flow view)."""
    import nn

    criterion = nn.CrossEntropyLoss()
    net.eval()
    with viz.trace_modules(net, loss=criterion) as trace:
        loss = criterion(net(inputs), y)
    net.zero_grad()
    loss.backward()
    net.train()
    return autograd.draw_graph(loss, modules=trace, grad_flow=True)


def _save(fig, path):
    fig.savefig(path, dpi=90, bbox_inches="tight")
    return path


def main(argv=None):
    """``python -m examples.demo [--model cnn|mlp] [--epochs N] [--seed S]
    [--optimizer adam|sgd] [--output-dir DIR] [--skip-tour] [--no-progress]``."""
    parser = argparse.ArgumentParser(
        prog="python -m examples.demo",
        description="A tour of the engine (worked example, gradient check, graph pictures), "
                    "then a small CNN trained on the bundled 8x8 digits with the course "
                    "notes' recipe; pictures go to the output folder.")
    parser.add_argument("--model", choices=["cnn", "mlp"], default="cnn",
                        help="the classifier: a small CNN (Conv2d, BatchNorm2d, ReLU, "
                             "MaxPool2d, Dropout, Linear) or a one-hidden-layer MLP "
                             "(default: cnn)")
    parser.add_argument("--epochs", type=int, default=30,
                        help="most epochs to train; early stopping may end sooner (default: 30)")
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of the split, initialization, shuffling, augmentation and "
                             "dropout (default: 0)")
    parser.add_argument("--optimizer", choices=["adam", "sgd"], default="adam",
                        help="Adam (lr 3e-3) or SGD with momentum 0.9 (lr 0.05), both with "
                             "a cosine schedule (default: adam)")
    parser.add_argument("--patience", type=int, default=6,
                        help="epochs without a better validation loss before stopping "
                             "(default: 6)")
    parser.add_argument("--output-dir", "-o", default="demo-output",
                        help="folder for the pictures (default: demo-output)")
    parser.add_argument("--skip-tour", action="store_true",
                        help="only train (skip the engine tour)")
    parser.add_argument("--no-progress", action="store_true",
                        help="no progress bars (they need tqdm: pip install "
                             "'backproplab[progress]')")
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error(f"--epochs must be at least 1, got {args.epochs}")
    written = [] if args.skip_tour else tour(args.output_dir)
    print(f"\n4. Training a {args.model.upper()} on the bundled digits "
          f"({args.optimizer}, up to {args.epochs} epochs)")
    accuracy, _, pictures = train_digits(args.model, args.epochs, args.seed, args.optimizer,
                                         args.patience, progress=not args.no_progress,
                                         outdir=args.output_dir)
    written += pictures
    print(f"pictures in {os.path.abspath(args.output_dir)}/: "
          + ", ".join(sorted({os.path.basename(p) for p in written})))
    return accuracy, written


if __name__ == "__main__":
    main()
