"""The seam between the per-function analyser and the project-wide engine.

:class:`~rceguard.analysis.flow.FunctionAnalyzer` walks one function; everything it needs from
outside that function (call resolution, the project-wide stores of fields, globals and files,
findings, class lookups) goes through the :class:`Host` protocol below. The engine
(:mod:`.engine`) implements it and imports the analyser; the analyser imports only this
protocol, so the dependency runs one way: ``engine -> flow -> host/state``.
"""
from __future__ import annotations

import ast
from pathlib import Path
from typing import TYPE_CHECKING, Dict, List, Optional, Protocol, Sequence, Set, Tuple

from .project import ClassInfo, FuncInfo, ModuleInfo
from .values import Trace, Value

if TYPE_CHECKING:  # pragma: no cover
    from .dispatch import Dispatch
    from ..knowledge.models import Model
    from .flow import FunctionAnalyzer
    from .models import ModelIndex
    from .state import Env


class Host(Protocol):
    """What a :class:`~rceguard.analysis.flow.FunctionAnalyzer` asks of the engine that runs it."""

    # configuration and project-wide stores (read)
    user_models: Optional["ModelIndex"]
    extra_sanitizers: Set[str]
    remote_param_funcs: Dict[str, str]
    classes: Dict[str, ClassInfo]
    globals: Dict[Tuple[str, str], Value]
    global_keys: Dict[Tuple[str, str], str]
    dispatch: "Dispatch"
    decorating: int
    in_progress: Set[str]  # functions under analysis (the callers waiting for their callees)

    # classes and functions
    def resolve_class(self, ci: ClassInfo) -> None: ...

    def ext_bases_of(self, ci: ClassInfo, depth: int = 0) -> List[str]: ...

    def mro(self, ci: ClassInfo, depth: int = 0) -> List[ClassInfo]: ...

    def imported_object(self, q: str, own: Optional[Path]) -> frozenset: ...

    def module_live(self, m: ModuleInfo) -> bool: ...

    def imported_for_effect(self, m: ModuleInfo, bound: str, dotted: Sequence[str], lines: Tuple[int, int]) -> None: ...

    def find_method(self, ci: ClassInfo, name: str, depth: int = 0) -> Optional[FuncInfo]: ...

    def class_for_node(self, m: ModuleInfo, node: ast.ClassDef) -> Optional[ClassInfo]: ...

    def annotation_type(self, m: ModuleInfo, ann: ast.expr) -> Optional[str]: ...

    def annotation_types(self, m: ModuleInfo, ann: Optional[ast.expr]) -> frozenset: ...

    def params_typed(self, fi: FuncInfo) -> Dict[str, frozenset]: ...

    def nested_func(self, parent: Optional[FuncInfo], node: ast.AST, m: ModuleInfo,
                    cls: Optional[ClassInfo]) -> FuncInfo: ...

    def analyze_nested(self, fi: FuncInfo, env: "Env", parent: "FunctionAnalyzer") -> None: ...

    # stores (write) and dependencies
    def _read(self, dep: tuple) -> None: ...

    def set_field(self, cls_key: str, attr: str, v: Value) -> None: ...

    def get_field(self, ci: ClassInfo, attr: str, A: "FunctionAnalyzer", node: ast.AST) -> Value: ...

    def set_global(self, m: ModuleInfo, name: str, v: Value, key: Optional[str]) -> None: ...

    # calls, model rows and findings
    def call(self, A: "FunctionAnalyzer", node: ast.Call, env: "Env", fv: Value, recv: Optional[Value],
             args: List[Value], kws: Dict[str, Value], star_at: Optional[int]) -> Value: ...

    def model_rows(self, q: str, any_receiver: bool = True) -> List["Model"]: ...

    def holds_row(self, api: str) -> Optional["Model"]: ...

    def is_entry(self, api: str) -> bool: ...

    def has_effect(self, api: str, effect: str) -> bool: ...

    def method_name_rows(self, name: str) -> List["Model"]: ...

    def report(self, rule: str, trace: Trace, A: "FunctionAnalyzer", node: ast.AST, sink_name: str,
               extra: str = "") -> None: ...
