"""LetsData bridge host for Python projects (standard library only).

Started by the worker as `python3 letsdata_bridge_host.py <project folder>`. It loads the interface classes of a
project in LetsData's layout by their fixed module paths and class names, and answers calls framed on its standard
input and output: a 4-byte big-endian length, then that many bytes of UTF-8 JSON. Standard output carries frames
only; whatever the user's code prints goes to standard error.

Request  {"hello": true} | {"calls": [{"interface": "SingleFileParser", "function": "parseDocument", "data": {...}}]}
Response {"hello": {...}} | {"results": [{"statusCode": "SUCCESS", "data": ...} | {"statusCode": "EXCEPTION", ...}]}

As LetsData's bridge does, every call gets a new instance of the interface class (stateless by construction).
"""
import base64
import enum
import importlib
import json
import os
import struct
import sys
import traceback

# (module path under the project, class name, {function: argument names in call order})
INTERFACES = {
    "singlefileparser": ("letsdata_interfaces.readers.parsers.SingleFileParser", "SingleFileParser", {
        "getS3FileType": [],
        "getResolvedS3FileName": ["s3FileType", "fileName"],
        "getRecordStartPattern": ["s3FileType"],
        "getRecordEndPattern": ["s3FileType"],
        "parseDocument": ["s3FileType", "fileName", "offsetBytes", "content", "startIndex", "endIndex"],
    }),
    "queuemessagereader": ("letsdata_interfaces.readers.sqs.QueueMessageReader", "QueueMessageReader", {
        "parseMessage": ["messageId", "messageGroupId", "messageDeduplicationId", "messageAttributes", "messageBody"],
    }),
    "kinesisrecordreader": ("letsdata_interfaces.readers.kinesis.KinesisRecordReader", "KinesisRecordReader", {
        "parseMessage": ["streamArn", "shardId", "partitionKey", "sequenceNumber", "approximateArrivalTimestamp", "data"],
    }),
    "dynamodbstreamsrecordreader": ("letsdata_interfaces.readers.dynamodbstreams.DynamoDBStreamsRecordReader",
                                    "DynamoDBStreamsRecordReader", {
        "parseRecord": ["streamArn", "shardId", "eventId", "eventName", "identityPrincipalId", "identityType",
                        "sequenceNumber", "sizeBytes", "streamViewType", "approximateCreationDateTime",
                        "keys", "oldImage", "newImage"],
    }),
    "dynamodbtableitemreader": ("letsdata_interfaces.readers.dynamodb.DynamoDBTableItemReader", "DynamoDBTableItemReader", {
        "parseDynamoDBItem": ["tableName", "segmentNumber", "keys", "item"],
    }),
    "sagemakervectorsinterface": ("letsdata_interfaces.readers.sagemaker.SagemakerVectorsInterface",
                                  "SagemakerVectorsInterface", {
        "extractDocumentElementsForVectorization": ["document"],
        "constructVectorDoc": ["documentInterface", "vectorsMap"],
    }),
}

_classes = {}


def _location(error):
    """The project file and line an exception came from (a syntax error names its own)."""
    if isinstance(error, SyntaxError) and error.filename:
        return error.filename, error.lineno
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith(PROJECT)]
    return (frames[-1].filename, frames[-1].lineno) if frames else (None, None)


def _exception(error):
    file, line = _location(error)
    return {"statusCode": "EXCEPTION", "errorMessage": str(error) or type(error).__name__,
            "exception": {"errorType": type(error).__name__, "file": file, "line": line,
                          "stackTrace": "".join(traceback.format_exception(error))}}


def _load(interface):
    """The interface class, imported once; raises what the import raised."""
    key = interface.lower()
    if key not in _classes:
        module_path, class_name, _ = INTERFACES[key]
        module = importlib.import_module(module_path)
        _classes[key] = getattr(module, class_name)
    return _classes[key]


def _plain(value):
    """A return value as JSON data: objects by their __dict__ and enums by their value, as LetsData serialises."""
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8", "replace")
    if hasattr(value, "__dict__"):
        return {k: _plain(v) for k, v in vars(value).items()}
    return str(value)


def _default(value):
    """What json cannot write itself: objects by their __dict__, enums by their value (str enums it writes as strings)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8", "replace")
    if isinstance(value, (set, tuple)):
        return list(value)
    return vars(value) if hasattr(value, "__dict__") else str(value)


def _encode(response):
    """The response as UTF-8 JSON; the C encoder walks dicts and lists, _default the user's objects."""
    try:
        return json.dumps(response, ensure_ascii=False, separators=(",", ":"), default=_default)
    except (TypeError, ValueError):
        # A result json cannot write (a cycle, a key that is no string): walk it in Python, which never fails.
        return json.dumps(_plain(response), ensure_ascii=False, separators=(",", ":"))


def _arguments(function, names, data):
    if function == "parseDocument":
        # The record arrives as base64 (binary-safe); the method gets a bytearray and its bounds, as in LetsData.
        record = bytearray(base64.b64decode(data["content"]))
        return [data["s3FileType"], data["fileName"], data["offsetBytes"], record, 0, len(record)]
    if "keys" in names and isinstance(data.get("data"), dict):
        data = {**data, **data["data"]}
    return [data.get(n) for n in names]


def _call(request):
    try:
        key = request["interface"].lower()
        if key not in INTERFACES:
            raise ValueError("unknown interface " + request["interface"])
        names = INTERFACES[key][2].get(request["function"])
        if names is None:
            raise ValueError("unknown function %s.%s" % (request["interface"], request["function"]))
        instance = _load(key)()
        result = getattr(instance, request["function"])(*_arguments(request["function"], names, request.get("data") or {}))
        return {"statusCode": "SUCCESS", "data": result}
    except Exception as error:  # any failure of the user's code is the call's answer, never the host's end
        return _exception(error)


def _hello(request):
    loaded = {}
    for name in request.get("interfaces") or []:
        module_path, _, _ = INTERFACES[name.lower()]
        file = os.path.join(PROJECT, *module_path.split(".")) + ".py"
        try:
            _load(name)
            loaded[name] = {"file": file}
        except Exception as error:
            failure = _exception(error)
            loaded[name] = {"file": file, "error": failure}
    return {"hello": {"language": "python", "version": sys.version.split()[0], "interfaces": loaded}}


def _read_exactly(stream, count):
    chunks = []
    while count > 0:
        chunk = stream.read(count)
        if not chunk:
            return None
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def main():
    inbox = sys.stdin.buffer
    # Frames go to the original standard output; the user's print() goes to standard error.
    outbox = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    while True:
        header = _read_exactly(inbox, 4)
        if header is None:
            return
        request = json.loads(_read_exactly(inbox, struct.unpack(">I", header)[0]))
        if request.get("hello"):
            response = _hello(request)
        else:
            response = {"results": [_call(call) for call in request["calls"]]}
        body = _encode(response).encode("utf-8", "surrogatepass")
        outbox.write(struct.pack(">I", len(body)) + body)
        outbox.flush()


def _die_with_parent():
    """Asked for by a worker whose starting thread lives as long as it: end with it even when stuck in user code."""
    if os.environ.get("LETSDATA_BRIDGE_DIE_WITH_PARENT") == "1" and sys.platform.startswith("linux"):
        import ctypes
        import signal
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
        if os.getppid() == 1:
            os._exit(1)  # the parent is already gone


if __name__ == "__main__":
    _die_with_parent()
    PROJECT = os.path.realpath(sys.argv[1]) + os.sep
    sys.path.insert(0, PROJECT)
    sys.dont_write_bytecode = True
    main()
