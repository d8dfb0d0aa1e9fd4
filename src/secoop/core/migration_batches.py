"""A migration's runs of operations applied as one, so that Django renders the project state once
per run instead of once per operation (issue 11 §1, decision 0067).

Django's executor keeps the state's models rendered while it applies a migration, and each
operation that changes the state re-renders the models it touches: a CreateModel with a key to
`core.User` re-renders every model related to User, recursively (nearly all of them), and a
RunPython after any delayed change (an AddIndex, an AlterField) renders the whole project again
for its `apps`. In the squashed initial migrations that was 70% of a fresh `migrate`.

`batched(operations)` groups

- consecutive CreateModel operations into one `CreateModels`: the models are added to the state
  and rendered together once; their tables are created one by one, in the same order, from the
  state after the run (a CreateModel reads only that state, and no model of a run changes after
  its own CreateModel within the run, so each table is the same);
- consecutive AddField operations on distinct models into one `AddFields`: rendered once; each
  column added in order, from the model as it was before the run (no other operation of the run
  changes that model) and the field as it is after;
- consecutive RunPython operations (same atomicity and hints) into one `RunPythons`: one `apps`
  for the run, the functions called in order (their reverses in reverse order).

Every other operation stays as it is, in its place. The schema and rows a fresh `migrate` makes
are those of the unbatched operations (bench/migproof.sh, decision 0067).
`migrate --fake-initial` does not see a CreateModels as an initial CreateModel; the project does
not use it.
"""

from __future__ import annotations

from django.db import migrations
from django.db.migrations.operations.base import Operation


class CreateModels(Operation):
    """Consecutive CreateModel operations: one render of the state, the tables in order."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, operations):
        self.operations = list(operations)
        super().__init__()

    def models(self) -> list[str]:
        return [operation.name_lower for operation in self.operations]

    def delay(self) -> bool:
        """Django's `delay` for the run's re-render: a new model re-renders what it points to
        recursively."""
        return False

    def state_forwards(self, app_label, state):
        rendered = state.__dict__.pop("apps", None)  # each operation's own re-render skipped
        try:
            for operation in self.operations:
                operation.state_forwards(app_label, state)
        finally:
            if rendered is not None:
                state.__dict__["apps"] = rendered
        state.reload_models([(app_label, model) for model in self.models()], delay=self.delay())

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for operation in self.operations:
            operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for operation in reversed(self.operations):
            operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return "; ".join(operation.describe() for operation in self.operations)

    @property
    def migration_name_fragment(self):
        return "_".join(operation.migration_name_fragment for operation in self.operations)

    def references_model(self, name, app_label):
        return any(op.references_model(name, app_label) for op in self.operations)

    def references_field(self, model_name, name, app_label):
        return any(op.references_field(model_name, name, app_label) for op in self.operations)


class AddFields(CreateModels):
    """Consecutive AddField operations, one per model: one render of the state, the columns in
    order."""

    def models(self) -> list[str]:
        return [operation.model_name_lower for operation in self.operations]

    def delay(self) -> bool:
        """An AddField of a key re-renders the related models recursively, any other only the
        models it points to: the run does the former if any of its operations would."""
        return not any(operation.field.is_relation for operation in self.operations)


class RunPythons(migrations.RunPython):
    """Consecutive RunPython operations: one `apps` for them all, each function in order."""

    def __init__(self, operations):
        self.operations = list(operations)
        first = self.operations[0]
        forwards = [op.code for op in self.operations]
        backwards = [op.reverse_code for op in reversed(self.operations)]

        def code(apps, schema_editor):
            for function in forwards:
                function(apps, schema_editor)

        def reverse_code(apps, schema_editor):
            for function in backwards:
                function(apps, schema_editor)

        super().__init__(
            code,
            reverse_code if all(backwards) else None,
            atomic=first.atomic,
            hints=first.hints,
            elidable=all(op.elidable for op in self.operations),
        )

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.operations], {})

    def describe(self):
        return "; ".join(operation.describe() for operation in self.operations)


def _joins(run: list[Operation], operation: Operation) -> bool:
    last = run[-1]
    if type(operation) is migrations.CreateModel:
        return type(last) is migrations.CreateModel
    if type(operation) is migrations.AddField:
        return type(last) is migrations.AddField and operation.model_name_lower not in {
            op.model_name_lower for op in run
        }
    if type(operation) is migrations.RunPython:
        return type(last) is migrations.RunPython and (operation.atomic, operation.hints) == (
            last.atomic,
            last.hints,
        )
    return False


def batched(operations: list[Operation]) -> list[Operation]:
    """The operations, each run of two or more CreateModel, AddField (one per model) or RunPython
    as one operation."""
    runs: list[list[Operation]] = []
    for operation in operations:
        if runs and _joins(runs[-1], operation):
            runs[-1].append(operation)
        else:
            runs.append([operation])
    grouped = []
    for run in runs:
        if len(run) == 1:
            grouped.append(run[0])
        elif type(run[0]) is migrations.CreateModel:
            grouped.append(CreateModels(run))
        elif type(run[0]) is migrations.AddField:
            grouped.append(AddFields(run))
        else:
            grouped.append(RunPythons(run))
    return grouped
