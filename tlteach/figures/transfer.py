"""The four steps of transfer learning, drawn from a real model's layer groups."""
from __future__ import annotations

from torch import nn

from ..i18n import number, percent, tr, trn
from .style import DARK_TEXT_COLOR, EDGE_COLOR, FONT, FROZEN_COLOR, IMAGENET_CLASSES, MUTED_TEXT_COLOR, PARTLY_COLOR, PRETRAINED_COLOR, TITLE_FONT, TRAINABLE_COLOR, _done, _figure, _hide, _rounded_count
from ..models.freezing import group_status
from ..models.groups import count_parameters, layer_groups, num_outputs


def _transfer_state(model: nn.Module) -> dict:
    """What plot_transfer_steps draws, read from the model itself."""

    groups = layer_groups(model)  # a clear TLTeachError for a model tlteach does not know
    pretrained = bool(getattr(model, "pretrained", False))
    outputs = num_outputs(model)
    status = {name: str(group_status(group)) for name, group in groups.items()}
    names = list(groups)
    frozen = [n for n in names if status[n] == "frozen"]
    learning = [n for n in names if status[n] != "frozen"]
    prefix = 0
    while prefix < len(names) and status[names[prefix]] == "frozen":
        prefix += 1
    if not learning:
        strategy = tr("nothing learns: every group is frozen")
    elif learning == [names[-1]] and status[names[-1]] == "trainable":
        strategy = tr("feature extraction: only the head learns")
    elif not frozen and all(s == "trainable" for s in status.values()):
        strategy = tr("full fine-tuning: every group learns")
    elif prefix == len(frozen) and all(status[n] == "trainable" for n in learning):
        strategy = tr("fine-tuning from {group}: {group} ... head learn", group=names[prefix])
    else:
        strategy = trn("{n} of {total} group learns", "{n} of {total} groups learn", len(learning), total=len(names))
    return {"names": names, "status": status, "pretrained": pretrained, "outputs": outputs,
            "new_head": not pretrained or outputs != IMAGENET_CLASSES, "strategy": strategy,
            "frozen": len(frozen), "trainable": count_parameters(model, trainable_only=True),
            "total": count_parameters(model),
            "params": {n: count_parameters(g) for n, g in groups.items()}}


def plot_transfer_steps(model: nn.Module, title=None):
    """The transfer-learning algorithm in four steps, drawn from the model as it is now. Lesson 02.

    1. a **pretrained body** (learned on ImageNet), 2. a **new head** for our classes, 3. **freeze** the
    first layer groups, 4. **fine-tune**: the groups that are not frozen learn. Each layer group is a box,
    input on the left, coloured like `tt.FreezePanel`: blue frozen, orange trainable, grey partly frozen.
    A step the model has not gone through yet is drawn dashed, with the call that does it.

    >>> model = tt.load_backbone()                  # step 1 only
    >>> tt.replace_head(model, train.classes)       # step 2
    >>> tt.unfreeze(model, from_="stage6")          # steps 3 and 4: stem ... stage5 frozen
    >>> tt.viz.plot_transfer_steps(model)
    """
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    state = _transfer_state(model)
    names, status = state["names"], state["status"]
    n = len(names)
    left, right = 4.3, 17.4                       # where the boxes go (inches, = data units)
    gap = 0.12
    width = (right - left - gap * (n - 1)) / n
    step_h, box_h = 1.5, 0.95
    centers = [1.2 + (3 - r) * step_h for r in range(4)]   # the four rows, from the top; the legend below
    height = centers[0] + box_h / 2 + 0.7
    fig, axes = _figure(1, 1, size=(right + 0.3, height + 0.6))
    ax = axes[0, 0]
    ax.set_xlim(0, right + 0.3)
    ax.set_ylim(0, height)
    ax.set_aspect("equal")
    _hide(ax)

    def x_of(i):
        return left + i * (width + gap)

    def box(i, y, face, top, bottom="", dashed=False, faded=False, text="black", bold_edge=False):
        ax.add_patch(FancyBboxPatch((x_of(i), y), width, box_h, boxstyle="round,pad=0,rounding_size=0.08",
                                    facecolor=face, alpha=0.35 if faded else 1.0,
                                    edgecolor="black" if bold_edge else EDGE_COLOR, lw=3 if bold_edge else 1.2,
                                    linestyle=(0, (4, 3)) if dashed else "-"))
        cx = x_of(i) + width / 2
        if bottom:
            ax.text(cx, y + box_h * 0.66, top, ha="center", va="center", fontsize=FONT, fontweight="bold",
                    color=text)
            ax.text(cx, y + box_h * 0.28, bottom, ha="center", va="center", fontsize=FONT, color=text)
        else:
            ax.text(cx, y + box_h / 2, top, ha="center", va="center", fontsize=FONT, fontweight="bold", color=text)

    def label(r, heading, note, done=True):
        y = centers[r]
        ax.text(0.05, y + 0.05, heading, ha="left", va="bottom", fontsize=FONT + 2, fontweight="bold",
                color="black" if done else MUTED_TEXT_COLOR)
        ax.text(0.05, y - 0.05, note, ha="left", va="top", fontsize=FONT, color=DARK_TEXT_COLOR if done else MUTED_TEXT_COLOR)
        return y - box_h / 2

    body_face = PRETRAINED_COLOR if state["pretrained"] else "white"
    head, body = names[-1], names[:-1]
    classes = trn("{n} class", "{n} classes", state["outputs"])

    # 1. the pretrained body (with the head it came with)
    y = label(0, tr("1. Pretrained body"), tr("learned on ImageNet:\n1.2 million photos, 1000 classes")
              if state["pretrained"] else tr("random weights:\nnothing learned yet"), done=state["pretrained"])
    for i, name in enumerate(body):
        box(i, y, body_face, name, dashed=not state["pretrained"])
    if state["pretrained"]:
        box(n - 1, y, body_face, head, trn("{n} class", "{n} classes", IMAGENET_CLASSES))
    else:
        box(n - 1, y, "white", head, classes, dashed=True)

    # 2. a new head for our classes
    new = state["new_head"]
    y = label(1, tr("2. New head"), tr("a new last layer\nfor our classes, random at first") if new
              else tr("not yet:\ntt.replace_head(model, classes)"), done=new)
    for i, name in enumerate(body):
        box(i, y, body_face, name, faded=True, dashed=not state["pretrained"])
    if new:
        box(n - 1, y, "white", head, classes, bold_edge=True)
    else:
        box(n - 1, y, body_face, head, trn("{n} class", "{n} classes", IMAGENET_CLASSES), dashed=True)

    # 3. freeze the first groups
    frozen = state["frozen"]
    y = label(2, tr("3. Freeze"), trn("{n} of {total} group frozen\n(counted from the input)",
                                       "{n} of {total} groups frozen\n(counted from the input)", frozen, total=n)
              if frozen else tr("nothing frozen yet:\ntt.freeze(model, up_to=...)"), done=bool(frozen))
    colors = {"frozen": FROZEN_COLOR, "trainable": TRAINABLE_COLOR, "partly frozen": PARTLY_COLOR}
    for i, name in enumerate(names):
        face = colors[status[name]]
        box(i, y, face, name, tr(status[name]), text="white" if face != TRAINABLE_COLOR else "black")

    # 4. fine-tune: what still learns
    y = label(3, tr("4. Fine-tune"), state["strategy"].replace(": ", ":\n", 1))
    for i, name in enumerate(names):
        face = colors[status[name]]
        learns = status[name] != "frozen"
        box(i, y, face, name, _rounded_count(state["params"][name]) if learns else tr("fixed"),
            faded=not learns, text="black" if learns else DARK_TEXT_COLOR, bold_edge=learns)

    # input -> output, and the legend
    y = centers[0] + box_h / 2 + 0.3
    ax.add_patch(FancyArrowPatch((left, y), (right, y), arrowstyle="-|>", mutation_scale=22, lw=2, color=EDGE_COLOR))
    ax.text(left, y + 0.12, tr("input"), ha="left", va="bottom", fontsize=FONT, color=EDGE_COLOR)
    ax.text(right, y + 0.12, tr("output"), ha="right", va="bottom", fontsize=FONT, color=EDGE_COLOR)
    legend = [(PRETRAINED_COLOR, tr("pretrained")), ("white", tr("new, random")), (FROZEN_COLOR, tr("frozen")),
              (TRAINABLE_COLOR, tr("trainable")), (PARTLY_COLOR, tr("partly frozen"))]
    x = left
    for face, text in legend:
        ax.add_patch(FancyBboxPatch((x, 0.12), 0.32, 0.32, boxstyle="square,pad=0", facecolor=face,
                                    edgecolor=EDGE_COLOR, lw=1))
        ax.text(x + 0.45, 0.28, text, ha="left", va="center", fontsize=FONT)
        x += 0.75 + 0.105 * len(text)
    share = percent(state['trainable'] / max(state['total'], 1))
    fig.suptitle(title or tr("Transfer learning in four steps: {model}, {trainable} of {total} parameters learn "
                             "({share})", model=type(model).__name__, trainable=number(state["trainable"]),
                             total=number(state["total"]), share=share), fontsize=TITLE_FONT)
    return _done(fig)
