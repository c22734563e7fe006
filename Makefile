# Two commands for a fresh clone (only Python 3.9+ and make needed):
#   make lab    install into .venv (once) and open JupyterLab on the lessons
#   make test   install into .venv (once) and run every test: unit tests + every notebook (nbval)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install lab test unit notebooks nbval bench clean messages student

install: $(STAMP)

# Re-installs only when the dependency list changes. constraints.txt pins torch for this CPU machine.
# [lab]: JupyterLab to run the lessons; [dev]: the test tools (pyproject.toml). Colab needs neither.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[lab,dev]"
	touch $(STAMP)

# (--allow-root only when run as root, e.g. in a container)
lab: install
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

test: install
	$(BIN)/python -m pytest tests notebooks --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

unit: install
	$(BIN)/python -m pytest tests -m "not browser"

# After editing a lesson (notebooks/NN_name.py or its paired .ipynb): sync each English .ipynb with its .py
# (jupytext, outputs kept), rebuild the Russian notebooks whose English or translation changed, then execute
# the English and Russian notebooks in place. ONLY=03 (or 03_head_replacement): one lesson, about 3 minutes.
ONLY ?=
notebooks: install
	$(BIN)/python tools/lessons.py sync $(ONLY)
	$(BIN)/python tools/translate.py $(ONLY)
	$(BIN)/python tools/lessons.py execute $(ONLY)

# After changing a text the package shows (tr, trn, N_, an exercise): add it to the translation catalogues
# (tlteach/locale/ru/LC_MESSAGES/*.po, gettext), then fill its msgstr and run this again to compile the .mo files.
messages: install
	$(BIN)/python tools/messages.py

# Clean student copies (student/NN_name.ipynb, student/ru/NN_name.ipynb): outputs cleared, answers blank, cells tagged
# teacher left out. Built from the committed notebooks in a second: run it after make notebooks and commit them.
student: install
	$(BIN)/python tools/student.py

# Only check the committed notebooks' outputs (nbval; make test does it too).
nbval: install
	$(BIN)/python -m pytest notebooks --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg

bench: install
	$(BIN)/python -m tlteach.bench

clean:
	rm -rf $(VENV) .pytest_cache
