"""The language of figure titles and widget labels: English (default) or Russian.

    >>> tt.set_language("ru")
    >>> tr("accuracy")
    'точность'
    >>> tr("{shown} of {total} images", shown=10, total=300)
    '10 из 300 изображений'

Texts are looked up by their English wording; a text without a translation stays English.
A text with {placeholders} is a template: its translation has the same placeholders, and
`tr` fills them in. Russian templates avoid number-dependent word endings ("каналов: 32"),
so one wording is right for every number. tests/test_i18n.py checks that every text the
package passes to `tr` has a Russian entry with the same placeholders.
"""
from __future__ import annotations

from .errors import TLTeachError

LANGUAGES = ("en", "ru")
_current = {"language": "en"}

RU = {
    # learning curves (viz.plot_history, tt.fit's live plot)
    "Loss (lower is better)": "Потери (чем ниже, тем лучше)",
    "Accuracy (higher is better)": "Точность (чем выше, тем лучше)",
    "loss": "потери",
    "accuracy": "точность",
    "epoch": "эпоха",
    "training": "обучение",
    "training (during the epoch)": "обучение (во время эпохи)",
    "validation": "проверка",
    "train": "обучение",
    "val": "проверка",
    "run {n}": "запуск {n}",
    # images (viz.show_images)
    "Images": "Изображения",
    "one image per class": "по одному изображению каждого класса",
    "{shown} of {total} images": "{shown} из {total} изображений",
    # filters (viz.show_filters, viz.show_filter_response)
    "First-layer filters": "Фильтры первого слоя",
    "filter": "фильтр",
    "channel": "канал",
    "{count} of {total} filters, {k} each": "{count} из {total} фильтров, размер каждого {k}",
    "colour patches (R, G, B)": "цветные квадратики (R, G, B)",
    "one input channel each (depthwise)": "у каждого один входной канал (поканальная свёртка)",
    "one square per input channel ({inputs})": "по квадратику на входной канал (их {inputs})",
    "mean over {inputs} input channels": "среднее по {inputs} входным каналам",
    "image": "изображение",
    "filter {channel}: {k} weights": "фильтр {channel}: веса {k}",
    "its response ({h}×{w})\nbright = strong match": "его отклик ({h}×{w})\nярче = сильнее совпадение",
    "convolution": "свёртка",
    "{layer}: filter {channel} of {total}": "{layer}: фильтр {channel} из {total}",
    # feature maps (viz.show_feature_maps)
    "input image": "изображение",
    "Feature maps: bright = strong response": "Карты признаков: ярче = сильнее отклик",
    "ch {c}": "кан. {c}",
    "{layer}: {channels} channels, {h}×{w}  ({shown} most active shown)":
        "{layer}: каналов — {channels}, {h}×{w}  (показаны {shown} самых активных)",
    "channels": "каналов",
    "most active shown": "самых активных",
    # confusion matrix, predictions, embedding
    "Confusion matrix": "Матрица ошибок",
    "true class": "истинный класс",
    "predicted class": "предсказанный класс",
    "Accuracy {accuracy} % ({correct} of {total} right)": "Точность {accuracy} % (верно {correct} из {total})",
    "probability": "вероятность",
    "true: {name}": "класс: {name}",
    "Top-{k} predictions": "Лучшие предсказания (топ-{k})",
    " for the first {shown} of {total} images": " для первых {shown} из {total} изображений",
    "  (green = true class, red = wrong top guess)": "  (зелёный — верный класс, красный — ошибочный первый ответ)",
    "Features projected to 2-D with PCA": "Признаки, спроецированные на плоскость (PCA)",
    "of variance": "дисперсии",
    # FreezePanel (widgets)
    "Which layer groups learn?": "Какие группы слоёв обучаются?",
    "{model}, {n} groups": "{model}, групп слоёв: {n}",
    "Freeze up to": "Заморозить до",
    "nothing frozen": "ничего не заморожено",
    "Trainable": "Обучается",
    "of": "из",
    "parameters": "параметров",
    "frozen": "заморожено",
    "trainable": "обучается",
    "partly frozen": "заморожено частично",
    "input": "вход",
    "output": "выход",
    "Train 1 epoch": "Обучить 1 эпоху",
    "training one epoch...": "обучаем одну эпоху...",
    "training accuracy": "точность на обучающих данных",
    "after 1 epoch": "после 1 эпохи",
    "after {n} epochs": "после {n} эпох",
    "Training is not available yet: tlteach.train (tt.fit) is missing.":
        "Обучение пока недоступно: нет модуля tlteach.train (tt.fit).",
    # FilterExplorer (widgets)
    "Layer": "Слой",
    "Filter": "Фильтр",
    "Channel": "Канал",
    "Image": "Изображение",
    "image {k}": "изображение {k}",
    "pretrained": "предобученная",
    "this model": "эта модель",
    "random init": "случайные веса",
    "Weights": "Веса",
    "{name} ({count} filters, {k}, {kind})": "{name} (фильтров: {count}, {k}, {kind})",
    "depthwise": "поканальная",
    "{n} in": "входов: {n}",
    "{layer}: filter {channel} ({weights})": "{layer}: фильтр {channel} ({weights})",
    # data-size experiment (datasize.plot_data_curve, lesson 01)
    "Validation accuracy vs images per class": "Точность на проверке в зависимости от числа изображений на класс",
    "gap = overfitting": "разрыв = переобучение",
    "training images": "обучающие изображения",
    "validation images (new)": "проверочные изображения (новые)",
    "guessing": "угадывание",
    "training images per class": "обучающих изображений на класс",
    "{n} per class": "{n} на класс",
    "(mean ± sd)": "(среднее ± ст. откл.)",
    "one run = one dot ({n} per size)": "точка = один запуск ({n} на размер)",
    "{n} per class ({images} images), {runs} runs: training {train}, validation {val}":
        "{n} на класс (изображений: {images}), запусков: {runs}: обучение {train}, проверка {val}",
    "Trained from scratch, {seeds} seeds per size; validation: {n} images":
        "Обучение с нуля, сидов на размер: {seeds}; проверочных изображений: {n}",
    # freeze-sweep heatmap (viz.plot_sweep, lesson 04)
    "frozen layer groups, counted from the input": "замороженные группы слоёв, считая от входа",
    "Accuracy on the pick half (%): mean ± sd of {n} runs\nbest outlined only when it wins beyond noise":
        "Точность на половине для выбора (%): среднее ± ст. откл. по {n} запускам\n"
        "лучшая обведена, только если выигрывает сильнее шума",
    "Accuracy on the report half (%): mean ± sd of {n} runs\nbest outlined only when it wins beyond noise":
        "Точность на половине для отчёта (%): среднее ± ст. откл. по {n} запускам\n"
        "лучшая обведена, только если выигрывает сильнее шума",
    "Time of each run (seconds, mean of {n} runs; colours on a log scale)":
        "Время одного запуска (секунды, среднее по {n} запускам; цвета в логарифмической шкале)",
    "tie:\nall": "ничья:\nвсе",
    "tie:\n{depths}": "ничья:\n{depths}",
    # lesson 04's sweep: outcomes printed by the notebook (tt.repeats.compare, yes/no)
    "higher": "выше",
    "lower": "ниже",
    "within noise": "в пределах шума",
    "yes": "да",
    "no": "нет",
    "{k}\nup to {group}": "{k}\nдо {group}",
    "0\nnothing": "0\nничего",
    "{task}\n{n} per class": "{task}\n{n} на класс",
    # strategy comparison (experiments.plot_strategies, lesson 05)
    "validation accuracy": "точность на проверке",
    "wall time (seconds)": "время (секунды)",
    "trainable parameters": "обучаемые параметры",
    "Which strategy wins, and what does it cost?": "Какая стратегия выигрывает и чего она стоит?",
    "Which strategy wins, and what does it cost? ({n} runs each: dots)":
        "Какая стратегия выигрывает и чего она стоит? (точки — отдельные запуски, {n} на стратегию)",
    "Conclusion": "Вывод",
}

# Exercise feedback (tt.check): every `right`, `hint` and specific hint of tlteach/exercises/lessonNN.py and
# the fixed messages of checks.py, by their English text. tests/test_i18n.py fails when an exercise text
# has no entry here (a changed English text is a new key: translate it again).
RU_EXERCISES = {
    # tlteach/checks.py
    "Right": "Верно",
    "Not yet": "Пока нет",
    "Replace ... (or None) with your answer, then run the cell again.":
        "Замените ... (или None) своим ответом и запустите ячейку снова.",
    # lesson 01
    "About a thousand adjustable numbers for every single image: plenty of room to store each photo's details "
    "instead of learning what the classes have in common.":
        "Около тысячи настраиваемых чисел на каждое изображение: более чем достаточно, чтобы запомнить детали каждой "
        "фотографии, а не выучить, что общего у классов.",
    "Divide tt.count_parameters(model) by len(few), the number of training images.":
        "Разделите tt.count_parameters(model) на len(few) — число обучающих изображений.",
    "It memorised: the training photos are all right, new photos mostly wrong. The gap between the two curves is "
    "overfitting.":
        "Она заучила: на обучающих фотографиях всё верно, на новых — в основном ошибки. Разрыв между двумя кривыми "
        "и есть переобучение.",
    "Compare the two curves: which images does it get right, and which not?":
        "Сравните две кривые: какие изображения сеть распознаёт верно, а какие нет?",
    "If it had learned what makes a leopard a leopard, it would recognise new leopard photos too. Does validation "
    "accuracy say so?":
        "Если бы она выучила, что делает леопарда леопардом, она узнавала бы и новые фотографии леопардов. Говорит ли "
        "об этом точность на проверке?",
    "Validation accuracy is above 10 % (guessing among 10 classes), and training accuracy is 100 %: it has learned "
    "something. What kind of thing?":
        "Точность на проверке выше 10 % (угадывания среди 10 классов), а на обучении — 100 %: чему-то она научилась. "
        "Но чему именно?",
    "Fewer images are easier to memorise and say less about new photos: the gap is largest at 5 per class and "
    "shrinks as data grows.":
        "Меньше изображений легче заучить, и они меньше говорят о новых фотографиях: разрыв больше всего при 5 на "
        "класс и сокращается с ростом данных.",
    "Both runs reach about 100 % on their own training images. Which one knows more about new photos?":
        "Оба запуска достигают примерно 100 % на своих обучающих изображениях. Какой из них больше знает о новых "
        "фотографиях?",
    "More images are harder to memorise, and they show more of the variety of each animal. Which run will then do "
    "better on new photos?":
        "Больше изображений труднее заучить, и они показывают больше разнообразия каждого животного. Какой запуск "
        "тогда лучше справится с новыми фотографиями?",
    "Both memorise their own training images, yes. But do both do equally well on new photos?":
        "Да, оба заучивают свои обучающие изображения. Но одинаково ли хорошо оба справляются с новыми фотографиями?",
    # lesson 02
    "ImageNet has 'leopard' and 'flamingo' but no rhinoceros (only 'rhinoceros beetle'). The network calls a rhino "
    "something it knows, such as a warthog. Dolphin and emu are missing too.":
        "В ImageNet есть 'leopard' и 'flamingo', но нет носорога (только 'rhinoceros beetle', жук-носорог). Носорога "
        "сеть называет чем-то знакомым, например бородавочником (warthog). Дельфина и эму там тоже нет.",
    "Search ImageNet's list for each animal, e.g. [c for c in tt.backbones.imagenet_classes() if 'flamingo' in c].":
        "Поищите каждое животное в списке ImageNet, например [c for c in tt.backbones.imagenet_classes() if 'flamingo' in c].",
    "Try [c for c in tt.backbones.imagenet_classes() if 'leopard' in c]: it is there.":
        "Попробуйте [c for c in tt.backbones.imagenet_classes() if 'leopard' in c]: он там есть.",
    "Try [c for c in tt.backbones.imagenet_classes() if 'flamingo' in c]: it is there.":
        "Попробуйте [c for c in tt.backbones.imagenet_classes() if 'flamingo' in c]: он там есть.",
    "The first layer detects edges, stripes and colours: simple patterns found in every photo, which is why they "
    "are useful for any image task.":
        "Первый слой находит края, полосы и цвета — простые узоры, которые есть на любой фотографии; поэтому они "
        "полезны в любой задаче с изображениями.",
    "Look again at the left figure, and compare it with the random one.":
        "Посмотрите ещё раз на фильтры предобученной сети и сравните их со случайными.",
    "That describes the random network. Compare the two figures: which one shows structure?":
        "Это описание случайной сети. Сравните два рисунка: на каком видна структура?",
    "Each filter is only 3x3 pixels: too small for an animal. What can a 3x3 patch detect?":
        "Каждый фильтр всего 3x3 пикселя — слишком мало для животного. Что может найти квадратик 3x3?",
    "A similar source task (scans of a neighbouring organ, same kind of images) gives the most useful features. "
    "Car photos still beat random weights: edges and textures are general.":
        "Похожая исходная задача (снимки соседнего органа, изображения того же вида) даёт самые полезные признаки. "
        "Фотографии машин всё равно лучше случайных весов: края и текстуры — общие.",
    "Which source task looks most like the target task?":
        "Какая исходная задача больше всего похожа на целевую?",
    "Random weights must learn everything from 40 scans: remember lesson 1.":
        "Случайным весам придётся выучить всё по 40 снимкам: вспомните урок 1.",
    "Better than random (edges and textures are general), but is there a more similar source?":
        "Лучше случайных весов (края и текстуры — общие), но нет ли исходной задачи похожее?",
    "Within noise: the gap between the means is 5 points, less than twice the larger sd (2 × 4 = 8 points). Other "
    "seeds could easily swap the order: run more seeds before you name a winner.":
        "В пределах шума: разница средних — 5 пунктов, меньше удвоенного большего из двух стандартных отклонений "
        "(2 × 4 = 8 пунктов). С другими сидами порядок легко может поменяться: прежде чем назвать победителя, "
        "сделайте больше запусков.",
    "Work out the gap between the two means and compare it with twice the larger of the two sds.":
        "Найдите разницу двух средних и сравните её с удвоенным большим из двух стандартных отклонений.",
    "A's mean is higher, yes. But is the gap (52 - 47 = 5 points) larger than twice the larger sd?":
        "Да, среднее у A выше. Но больше ли разница (52 - 47 = 5 пунктов), чем удвоенное большее стандартное "
        "отклонение?",
    "B's mean is the lower one. Look at the gap between the means and at the spread.":
        "Среднее у B как раз ниже. Посмотрите на разницу средних и на разброс.",
    # lesson 04
    "stage7 (1,017,600) + the head (12,810) = 1,030,410, about 30 % of the model. The last stage is the biggest one: "
    "unfreezing it makes a million numbers learn from our few photos.":
        "stage7 (1 017 600) + голова (12 810) = 1 030 410, около 30 % модели. Последняя стадия самая большая: если её "
        "разморозить, миллион чисел будет учиться по нашим немногим фотографиям.",
    "Freeze the model that way and read the 'trainable' column of tt.trainable_summary(model) (or move the "
    "FreezePanel slider). Which groups come after stage6?":
        "Заморозьте модель так и прочитайте столбец 'trainable' в tt.trainable_summary(model) (или передвиньте "
        "ползунок FreezePanel). Какие группы идут после stage6?",
    "That is the head alone. Freezing up to stage6 leaves one more group trainable.":
        "Это только голова. Заморозка до stage6 оставляет обучаемой ещё одну группу.",
    "That is stage7 alone. Which other group is not frozen?":
        "Это только stage7. Какая ещё группа не заморожена?",
    "That is every parameter of the model, frozen or not. How many of them still train?":
        "Это все параметры модели, замороженные и нет. Сколько из них ещё учится?",
    "That is how many are frozen. The question asks how many still train.":
        "Столько заморожено. А вопрос — сколько ещё учится.",
    "requires_grad=False stops the optimiser, not BatchNorm: in training mode it normalises with the batch's own "
    "statistics and overwrites its running mean and variance. That is why tt.fit puts frozen BatchNorm layers back "
    "in eval mode every epoch (tt.set_train_mode).":
        "requires_grad=False останавливает оптимизатор, но не BatchNorm: в режиме обучения он нормирует по "
        "статистикам самого пакета и перезаписывает накопленные среднее и дисперсию. Поэтому tt.fit в каждой эпохе "
        "возвращает замороженные слои BatchNorm в режим eval (tt.set_train_mode).",
    "Freezing has three switches. Which of them does model.train() touch?":
        "У заморозки три переключателя. Какой из них трогает model.train()?",
    "Look at the cell where we called model.train(): what did the frozen BatchNorm layer's .training say?":
        "Посмотрите на ячейку, где мы вызвали model.train(): что показал .training замороженного слоя BatchNorm?",
    "requires_grad is not changed by model.train(). Something else about BatchNorm is.":
        "model.train() не меняет requires_grad. Но в BatchNorm он меняет кое-что другое.",
    "Much data and a dissimilar task: the early groups (edges, simple textures) are still useful, but the late "
    "ImageNet features (fur, eyes, wheels) are not. With 3,000 images per class the later groups can safely learn "
    "new features for scans.":
        "Данных много, а задача непохожая: ранние группы (края, простые текстуры) по-прежнему полезны, а поздние "
        "признаки ImageNet (мех, глаза, колёса) — нет. При 3000 изображений на класс поздние группы могут без риска "
        "выучить новые признаки для снимков.",
    "Use the two halves of the rule of thumb: how similar is the task to ImageNet, and how much data is there?":
        "Используйте обе половины правила: насколько задача похожа на ImageNet и сколько данных?",
    "That is the right choice for a similar task with little data. Is this task similar? Is the data little?":
        "Это правильный выбор для похожей задачи с малым объёмом данных. Похожа ли эта задача? Мало ли данных?",
    "Freezing more protects you when data is scarce. Is it scarce here, and do ImageNet's late features (fur, eyes, "
    "wheels) describe a lung scan?":
        "Заморозка бо́льшей части защищает, когда данных мало. Мало ли их здесь, и описывают ли поздние признаки "
        "ImageNet (мех, глаза, колёса) снимок лёгких?",
    # lesson 03
    "About 10 %: one guess in ten. The body still describes every photo well, but the random head has not learned "
    "which of its 1280 numbers point to which animal, so its answer is a lottery.":
        "Около 10 %: один из десяти. Тело по-прежнему хорошо описывает каждую фотографию, но случайная голова не "
        "знает, какие из 1280 чисел указывают на какое животное, так что её ответ — лотерея.",
    "A random head picks one of the 10 classes more or less at random. How often is a random pick right?":
        "Случайная голова выбирает один из 10 классов более или менее наугад. Как часто случайный выбор верен?",
    "Even a random guess is sometimes right. With 10 classes, how often?":
        "Даже случайная догадка иногда верна. Как часто — при 10 классах?",
    "50 % would be guessing between two classes. How many classes do we have?":
        "50 % — это угадывание из двух классов. Сколько классов у нас?",
    "The body is pretrained, but the head that turns its 1280 numbers into our 10 classes is brand new and random. "
    "Can it know which number means 'leopard'?":
        "Тело предобучено, но голова, которая превращает его 1280 чисел в наши 10 классов, совсем новая и случайная. "
        "Может ли она знать, какое число означает 'leopard'?",
    "1280 × 10 weights (one for every feature and class) + 10 biases (one per class) = 12,810.":
        "1280 × 10 весов (по одному на каждую пару признак–класс) + 10 сдвигов (bias, по одному на класс) = 12 810.",
    "A linear layer has one weight for every (input, output) pair, and one bias for every output.":
        "У линейного слоя по одному весу на каждую пару (вход, выход) и по одному сдвигу (bias) на каждый выход.",
    "Close: that counts the weights. Each of the 10 outputs also has a bias.":
        "Близко: это число весов. А у каждого из 10 выходов есть ещё и сдвиг (bias).",
    "That is the old ImageNet head with 1000 outputs. The new one has 10.":
        "Это старая голова ImageNet с 1000 выходов. У новой их 10.",
    "Not quite: every one of the 1280 inputs is connected to every one of the 10 outputs.":
        "Не совсем: каждый из 1280 входов соединён с каждым из 10 выходов.",
    "The hard part, seeing, was learned from 1.2 million ImageNet photos. Our 100 photos only have to teach 12,810 "
    "numbers how to read the body's features, and that is too little to memorise much.":
        "Самое трудное — умение видеть — выучено на 1,2 миллиона фотографий ImageNet. Нашим 100 фотографиям остаётся "
        "научить лишь 12 810 чисел читать признаки тела, а этого слишком мало, чтобы многое заучить.",
    "Think about what the frozen body contributes: what did it learn, and from how many photos?":
        "Подумайте, что даёт замороженное тело: чему оно научилось и на скольких фотографиях?",
    "A tiny network trained from scratch would do badly too. What is special about the 1280 numbers the head reads?":
        "Крошечная сеть, обученная с нуля, тоже справилась бы плохо. Чем особенны 1280 чисел, которые читает голова?",
    "Both trained on exactly the same 100 photos. What else did the head get for free?":
        "Обе учились на одних и тех же 100 фотографиях. Что ещё голова получила даром?",
    # lesson 05
    "The pretrained weights are already good. Small steps adapt them a little to our animals; large steps driven by "
    "300 photos would wipe out what 1.2 million ImageNet photos taught them.":
        "Предобученные веса уже хороши. Маленькие шаги немного подстраивают их под наших животных; большие шаги, "
        "продиктованные 300 фотографиями, стёрли бы то, чему их научили 1,2 миллиона фотографий ImageNet.",
    "What do the unfrozen stages already know, and what could large weight updates do to it?":
        "Что уже знают размороженные стадии и что с этим могут сделать большие изменения весов?",
    "A smaller learning rate makes the weights change more slowly, not faster. What is worth changing slowly?":
        "Меньший шаг обучения заставляет веса меняться медленнее, а не быстрее. Что стоит менять медленно?",
    "The learning rate is not tied to the number of parameters here. What is special about the values these "
    "weights already have?":
        "Шаг обучения здесь не связан с числом параметров. Чем особенны значения, которые у этих весов уже есть?",
    "Each BatchNorm layer normalises with statistics estimated on ImageNet's 1.2 million photos. Estimates from "
    "batches of 32 of our photos are noisy and different, so the features the head learned to read would move "
    "under its feet.":
        "Каждый слой BatchNorm нормирует по статистикам, оценённым на 1,2 миллиона фотографий ImageNet. Оценки по "
        "пакетам из 32 наших фотографий шумные и другие, и признаки, которые голова научилась читать, уплыли бы у неё "
        "из-под ног.",
    "A BatchNorm layer in training mode normalises each batch with that batch's own mean and variance. How "
    "reliable is a mean over 32 photos?":
        "Слой BatchNorm в режиме обучения нормирует каждый пакет по его собственным среднему и дисперсии. Насколько "
        "надёжно среднее по 32 фотографиям?",
    "They do: a scale and a shift per channel, and they also keep running statistics. What happens to those "
    "statistics in training mode?":
        "Есть: масштаб и сдвиг на каждый канал, а ещё они хранят накопленные статистики. Что происходит с этими "
        "статистиками в режиме обучения?",
    "Updating a mean and a variance costs almost nothing. The reason is about accuracy, not speed.":
        "Обновить среднее и дисперсию почти ничего не стоит. Причина — в точности, а не в скорости.",
    "Little data, a task close to ImageNet and little compute: feature extraction. The frozen body runs once per "
    "photo, the head trains in a second, and there is little to overfit. Fine-tuning can come later if the "
    "accuracy is not good enough.":
        "Данных мало, задача близка к ImageNet, вычислений мало: извлечение признаков. Замороженное тело работает один "
        "раз на фотографию, голова учится за секунду, и переобучаться почти нечему. Дообучение можно попробовать "
        "потом, если точности не хватит.",
    "Look at the comparison table: which strategy was fast, needed the fewest trainable parameters and still did "
    "well on a task close to ImageNet?":
        "Посмотрите на таблицу сравнения: какая стратегия была быстрой, обошлась наименьшим числом обучаемых "
        "параметров и всё же хорошо справилась с задачей, близкой к ImageNet?",
    "From scratch with 40 photos per class: remember lesson 1 and the first row of the table.":
        "С нуля по 40 фотографиям на класс: вспомните урок 1 и первую строку таблицы.",
    "Fine-tuning every layer is the slowest option and has the most parameters that can overfit 200 photos. Is it "
    "the best place to start on a laptop?":
        "Дообучение всех слоёв — самый медленный вариант с наибольшим числом параметров, которые могут переобучиться на "
        "200 фотографиях. Лучшее ли это начало на ноутбуке?",
}

CATALOGS = {"ru": {**RU, **RU_EXERCISES}}


def set_language(language: str) -> str:
    """Choose the language of figure titles and widget labels: "en" or "ru"."""
    if language not in LANGUAGES:
        raise TLTeachError(f"Unknown language {language!r}. Choose one of: {', '.join(LANGUAGES)}.")
    _current["language"] = language
    return language


def get_language() -> str:
    return _current["language"]


def tr(text: str, **values) -> str:
    """`text` in the current language (English when no translation is known).

    With keyword arguments, `text` is a template: tr("{n} in", n=3) -> "3 in" (or "входов: 3").
    """
    translated = CATALOGS.get(_current["language"], {}).get(text, text)
    return translated.format(**values) if values else translated
