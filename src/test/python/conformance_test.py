#!/usr/bin/python3
"""The Jupyter community's kernel conformance suite (jupyter_kernel_test, Debian's python3-jupyter-kernel-test)
run against the jpool kernel (by KernelConformanceIT). Every message is validated against the messaging spec."""
import os
import unittest

import jupyter_kernel_test


class JpoolConformanceTest(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("JPOOL_KERNEL_NAME", "jpool")
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("to stderr");'
    code_generate_error = 'throw new IllegalStateException("expected by the conformance suite");'
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"ab" + "cd"', "result": "abcd"},
        {"code": "List.of(1, 2, 3)", "result": "[1, 2, 3]"},
    ]
    code_display_data = [
        {"code": 'display("shown");', "mime": "text/plain"},
        {"code": 'display(MimeBundle.of("text/html", "<b>bold</b>"));', "mime": "text/html"},
    ]
    code_clear_output = "clearOutput();"
    code_inspect_sample = "Math.max"
    completion_samples = [
        {"text": "Math.ma", "matches": {"max("}},
        {"text": "String greeting = \"\";\ngreeting.isEm", "matches": {"isEmpty()"}},
    ]
    complete_code_samples = ["1 + 1", "int x = 3;", "void f() { }", "%time 1 + 1"]
    incomplete_code_samples = ["void f() {", "if (true) {", "int y = (1 +"]
    # JShell judges completeness by structure: "int 3x = 5;" is complete (and fails to compile), ")" is invalid
    invalid_code_samples = [")", "else { }"]
    code_history_pattern = "6 *"
    supported_history_operations = ("tail", "range", "search")


if __name__ == "__main__":
    unittest.main(verbosity=2)
