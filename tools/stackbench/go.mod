module goprof/tools/stackbench

go 1.26

require (
	github.com/DataDog/gostackparse v0.7.0
	github.com/maruel/panicparse/v2 v2.3.0
)
