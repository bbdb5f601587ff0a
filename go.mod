module github.com/gowasm/gowasm

go 1.26
