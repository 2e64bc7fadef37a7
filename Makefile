# goxmtp — every build, test and measurement goes through this file. `make help` lists targets.
SHELL := /bin/bash
GO ?= go
MODULE := github.com/goxmtp/goxmtp
BIN := $(CURDIR)/.bin
PROTO_FILES = $(shell find proto -name '*.proto' | sort)

.PHONY: proto
## proto: regenerate the Go code of every .proto file with Debian's protoc and the pinned plugins
proto: $(BIN)/protoc-gen-go $(BIN)/protoc-gen-connect-go
	@PATH="$(BIN):$$PATH" protoc -I proto \
	  --go_out=$(or $(PROTO_OUT),.) --go_opt=module=$(MODULE) \
	  --connect-go_out=$(or $(PROTO_OUT),.) --connect-go_opt=module=$(MODULE) \
	  $(PROTO_FILES)

$(BIN)/protoc-gen-go $(BIN)/protoc-gen-connect-go: go.mod
	@mkdir -p $(BIN) && GOBIN=$(BIN) $(GO) install tool
