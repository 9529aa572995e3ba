# rivulet: online machine learning on Kafka streams, in Go, driven from GoNB
# notebooks. `make run` executes the notebooks, `make test` is what CI runs.
# Everything is installed inside the checkout (see environment/setup.sh).

GO          ?= go
PYTHON      ?= python3
VENV        := .venv
BIN         := .bin
OUT         := out
BROKER_ADDR ?= 127.0.0.1:9092
LAB_PORT    ?= 8888
NOTEBOOKS   ?= $(sort $(wildcard notebooks/*.ipynb))
KAFKA       := environment/kafka/kafka.sh

export GO PYTHON BROKER_ADDR

# Jupyter reads and writes only inside the checkout.
JUPYTER_ENV := PATH="$(CURDIR)/$(BIN):$$PATH" \
	JUPYTER_DATA_DIR="$(CURDIR)/.jupyter" \
	JUPYTER_CONFIG_DIR="$(CURDIR)/.jupyter/config" \
	JUPYTER_RUNTIME_DIR="$(CURDIR)/.jupyter/runtime" \
	JUPYTER_PLATFORM_DIRS=1

# Jupyter refuses to run as root unless told; containers and CI often are root.
ALLOW_ROOT  := $(if $(filter 0,$(shell id -u)),--allow-root)

.DEFAULT_GOAL := help
.PHONY: help setup run test lab kafka kafka-stop rivulet nbrun clean distclean bench-river

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: ## install Jupyter (.venv), gonb + goimports (.bin), the GoNB kernel (.jupyter)
	@environment/setup.sh

rivulet: ## build the CLI into .bin/rivulet
	$(GO) build -o $(BIN)/rivulet ./cmd/rivulet

nbrun:
	@$(GO) build -o $(BIN)/nbrun ./internal/nbrun/cmd/nbrun

run: setup rivulet nbrun ## execute every notebook headless against the embedded broker; HTML in out/notebooks/
	@environment/with-broker.sh $(BIN)/nbrun -out $(OUT)/notebooks $(NOTEBOOKS)
	@echo "run: executed notebooks and their HTML are in $(OUT)/notebooks/"

test: setup ## gofmt, go vet, go test -race, every notebook, Apache Kafka tests (with Java + Maven)
	@environment/test.sh

lab: rivulet ## JupyterLab on 127.0.0.1:8888 (LAB_PORT=...) with the embedded broker (Ctrl-C stops both)
	@environment/setup.sh --lab
	@$(JUPYTER_ENV) environment/with-broker.sh $(VENV)/bin/jupyter lab \
		--ServerApp.ip=127.0.0.1 --ServerApp.port=$(LAB_PORT) --ServerApp.port_retries=0 \
		--ServerApp.open_browser=False --ServerApp.root_dir="$(CURDIR)" \
		--LabApp.default_url=/lab/tree/notebooks $(ALLOW_ROOT)

bench-river: ## time River and rivulet on the same records; print both tables and the speed-ups
	@benchmarks/river/bench.sh

kafka: ## start Apache Kafka (needs Java 17+ and Maven) on 127.0.0.1:19092 in the background
	@test -x $(KAFKA) || { echo "kafka: $(KAFKA) is missing"; exit 1; }
	@$(KAFKA) start
	@echo "kafka: use it with RIVULET_BROKERS=127.0.0.1:19092; stop it with make kafka-stop"

kafka-stop: ## stop the Apache Kafka broker started by make kafka
	@$(KAFKA) stop

clean: ## remove generated files: out/, broker data (.rivulet/, Apache Kafka's), built binaries
	rm -rf $(OUT) .rivulet $(BIN)/rivulet $(BIN)/nbrun
	@if [ -x $(KAFKA) ]; then $(KAFKA) reset; fi
	find . -name '*.test' -type f -not -path './.venv/*' -delete

distclean: clean ## also remove the environment: .venv, .bin, .jupyter
	rm -rf $(VENV) $(BIN) .jupyter
