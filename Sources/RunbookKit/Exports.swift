// The layers below the use cases, for clients that import RunbookKit alone (the executable).
@_exported import RunbookModel
@_exported import RunbookRun
@_exported import RunbookSupport
