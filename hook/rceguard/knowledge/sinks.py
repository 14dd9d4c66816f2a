"""Where data must not come from the network. One entry per API.

``kind`` says what the argument is used as:

* ``code``  the argument is Python source / a code object that is run        -> RCE001 / RCE005
* ``data``  the argument (bytes, stream or path) is deserialized unsafely     -> RCE002
* ``cmd``   the argument is a shell command line                              -> RCE006 / RCE004
            (and, when it names a downloaded file, that file is run           -> RCE003)
* ``file``  the argument is a path of a program/module/library that is run    -> RCE003
* ``process`` a process launcher (subprocess family): what is checked depends on ``shell=`` and
            on the argument vector (``["sh", "-c", x]``, ``["python", "-c", x]``, ``[path, ...]``)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Tuple


@dataclass(frozen=True)
class Sink:
    kind: str
    args: Tuple[int, ...] = (0,)  # positional indexes checked
    kwargs: Tuple[str, ...] = ()  # keyword names checked
    unless: str = ""  # name of a condition (in the engine) that makes the call safe
    program: int = 0  # for "process": index of the program / argv argument
    # for "process": how the argument vector is given: "" (a list, or one program), "rest" (the
    # arguments from ``program`` on), "execl" (program, argv0, arg...), "execv" (program, [argv0, arg...])
    argv: str = ""


CODE, DATA, CMD, FILE, PROCESS = "code", "data", "cmd", "file", "process"

SINKS = {
    # --- code execution
    "builtins.exec": Sink(CODE, (0,), ("source", "__source")),
    "builtins.eval": Sink(CODE, (0,), ("source", "expression")),
    "types.FunctionType": Sink(CODE, (0,), ("code",)),
    "timeit.timeit": Sink(CODE, (0, 1), ("stmt", "setup")),
    "timeit.repeat": Sink(CODE, (0, 1), ("stmt", "setup")),
    "timeit.Timer": Sink(CODE, (0, 1), ("stmt", "setup")),
    "code.InteractiveInterpreter.runsource": Sink(CODE, (0,), ("source",)),
    "code.InteractiveInterpreter.runcode": Sink(CODE, (0,), ("code",)),
    "code.InteractiveConsole.runsource": Sink(CODE, (0,), ("source",)),
    "code.InteractiveConsole.runcode": Sink(CODE, (0,), ("code",)),
    "code.InteractiveConsole.push": Sink(CODE, (0,), ("line",)),
    # --- unsafe deserialization
    **{f"{m}.{f}": Sink(DATA, (0,), ("file", "data"))
       for m in ("pickle", "_pickle", "cPickle", "dill", "cloudpickle", "marshal")
       for f in ("loads", "load")},
    "pickle.Unpickler": Sink(DATA, (0,), ("file",)),
    "_pickle.Unpickler": Sink(DATA, (0,), ("file",)),
    "cPickle.Unpickler": Sink(DATA, (0,), ("file",)),
    "dill.Unpickler": Sink(DATA, (0,), ("file",)),
    "shelve.open": Sink(DATA, (0,), ("filename",)),
    "jsonpickle.decode": Sink(DATA, (0,), ("string",)),
    "jsonpickle.loads": Sink(DATA, (0,), ("string",)),
    "yaml.load": Sink(DATA, (0,), ("stream",), unless="yaml_safe_loader"),
    "yaml.load_all": Sink(DATA, (0,), ("stream",), unless="yaml_safe_loader"),
    "yaml.unsafe_load": Sink(DATA, (0,), ("stream",)),
    "yaml.unsafe_load_all": Sink(DATA, (0,), ("stream",)),
    "torch.load": Sink(DATA, (0,), ("f",), unless="torch_weights_only"),
    "numpy.load": Sink(DATA, (0,), ("file",), unless="numpy_no_pickle"),
    "pandas.read_pickle": Sink(DATA, (0,), ("filepath_or_buffer",)),
    "joblib.load": Sink(DATA, (0,), ("filename",)),
    "sklearn.externals.joblib.load": Sink(DATA, (0,), ("filename",)),
    # --- shell commands
    "os.system": Sink(CMD, (0,), ("command",)),
    "os.popen": Sink(CMD, (0,), ("cmd",)),
    "posix.system": Sink(CMD, (0,), ("command",)),
    "subprocess.getoutput": Sink(CMD, (0,), ("cmd",)),
    "subprocess.getstatusoutput": Sink(CMD, (0,), ("cmd",)),
    "commands.getoutput": Sink(CMD, (0,), ("cmd",)),
    "commands.getstatusoutput": Sink(CMD, (0,), ("cmd",)),
    "asyncio.create_subprocess_shell": Sink(CMD, (0,), ("cmd",)),
    "platform.popen": Sink(CMD, (0,), ("cmd",)),
    # --- process launchers
    **{f"subprocess.{f}": Sink(PROCESS, (0,), ("args",), program=0)
       for f in ("run", "call", "check_call", "check_output", "Popen")},
    "asyncio.create_subprocess_exec": Sink(PROCESS, (0,), ("program",), program=0),
    "pty.spawn": Sink(PROCESS, (0,), ("argv",), program=0),
    **{f"os.{f}": Sink(PROCESS, (0,), ("path", "file"), program=0)
       for f in ("execl", "execle", "execlp", "execlpe", "execv", "execve", "execvp", "execvpe",
                 "posix_spawn", "posix_spawnp")},
    **{f"os.{f}": Sink(PROCESS, (1,), ("path", "file"), program=1)
       for f in ("spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe")},
    # --- files run or loaded as code
    "os.startfile": Sink(FILE, (0,), ("path",)),
    "runpy.run_path": Sink(FILE, (0,), ("path_name",)),
    "imp.load_source": Sink(FILE, (1,), ("pathname",)),
    "imp.load_compiled": Sink(FILE, (1,), ("pathname",)),
    "imp.load_dynamic": Sink(FILE, (1,), ("pathname",)),
    "ctypes.CDLL": Sink(FILE, (0,), ("name",)),
    "ctypes.PyDLL": Sink(FILE, (0,), ("name",)),
    "ctypes.WinDLL": Sink(FILE, (0,), ("name",)),
    "ctypes.OleDLL": Sink(FILE, (0,), ("name",)),
    "ctypes.cdll.LoadLibrary": Sink(FILE, (0,), ("name",)),
    "ctypes.windll.LoadLibrary": Sink(FILE, (0,), ("name",)),
    "ctypes.pydll.LoadLibrary": Sink(FILE, (0,), ("name",)),
    "ctypes.LibraryLoader.LoadLibrary": Sink(FILE, (0,), ("name",)),
    "zipimport.zipimporter": Sink(FILE, (0,), ("path",)),
}

# Methods (on any object) that load and run a module: checked only for downloaded files
# (the receiver or the argument carries a downloaded path), e.g.
# ``spec.loader.exec_module(module)`` after ``spec_from_file_location(name, downloaded)``.
FILE_METHOD_SINKS = {"exec_module", "load_module"}

# Making a downloaded directory importable, then importing from it.
SYS_PATH_ADDERS = {"sys.path.insert": 1, "sys.path.append": 0, "site.addsitedir": 0}
IMPORTERS = {"importlib.import_module", "builtins.__import__", "importlib.__import__"}

# Interpreters and shells: argv[0] values after which "-c" / "/c" / "-Command" run the next item
SHELLS = {"sh", "bash", "zsh", "dash", "ksh", "fish", "cmd", "cmd.exe", "powershell", "powershell.exe",
          "pwsh", "pwsh.exe"}
INTERPRETERS = {"python", "python2", "python3", "py", "perl", "ruby", "node"}
INLINE_FLAGS = {"-c", "/c", "/C", "-Command", "-command", "-EncodedCommand", "-enc", "-e"}
