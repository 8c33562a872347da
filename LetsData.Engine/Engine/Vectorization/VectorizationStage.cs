using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.Runtime.Engine.Vectorization;

/// <summary>
/// One task's vectorization (compute engine <c>LAMBDA_AND_SAGEMAKER</c>): each document the reader returns gives its
/// texts (<see cref="ISagemakerVectorsInterface.ExtractDocumentElementsForVectorization"/>) and waits; a full batch —
/// many documents' texts, bounded by count and bytes — goes to the endpoint, and each document's vectors make its
/// vector document (<see cref="ISagemakerVectorsInterface.ConstructVectorDoc"/>), which is written in the reader's
/// order. Called on the task's thread only. The task flushes it before every checkpoint and at its end, so a
/// checkpoint never counts a document that is still waiting here.
/// </summary>
internal sealed class VectorizationStage(
    Func<ISagemakerVectorsInterface> createVectorizer, VectorizationOptions options, PluginCallSite callSite, CancellationToken cancellationToken)
{
    private const string ExtractMethod = "ISagemakerVectorsInterface.ExtractDocumentElementsForVectorization";
    private const string ConstructMethod = "ISagemakerVectorsInterface.ConstructVectorDoc";

    private readonly List<PendingDocument> _pending = [];
    private readonly List<string> _texts = [];
    private long _textBytes;

    // Created with the task's first document, inside the task's error handling (a constructor that throws fails the
    // task like any plugin call).
    private ISagemakerVectorsInterface? _vectorizer;

    /// <summary>Creates the task's stage when both the binding names a vectorizer and the run has an endpoint; else null.</summary>
    public static VectorizationStage? For(ReaderBinding binding, EngineOptions options, PluginCallSite callSite, CancellationToken cancellationToken)
    {
        return binding.Vectorizer is { } create && options.Vectorization is { } vectorization
            ? new VectorizationStage(create, vectorization, callSite, cancellationToken)
            : null;
    }

    /// <summary>Documents waiting for their vectors.</summary>
    public int Pending => _pending.Count;

    /// <summary>
    /// Takes the texts of <paramref name="document"/>; <paramref name="start"/> and <paramref name="end"/> name where it
    /// came from in an error record. True when the batch is full: the caller flushes it.
    /// </summary>
    public bool Add(IDocument document, IReadOnlyDictionary<string, string> start, IReadOnlyDictionary<string, string> end)
    {
        var vectorizer = _vectorizer ??= CreateVectorizer();
        callSite.Enter(ExtractMethod);
        var elements = vectorizer.ExtractDocumentElementsForVectorization(document);
        callSite.Exit();
        if (elements is null)
        {
            throw new PluginContractException(
                $"plugin {callSite.PluginName}: {ExtractMethod} returned null for document {document.DocumentId ?? "(no id)"}; return an empty map for nothing to vectorize");
        }

        var names = new string[elements.Count];
        var index = 0;
        foreach (var (name, text) in elements)
        {
            names[index++] = name;
            _texts.Add(text ?? "");
            _textBytes += Encoding.UTF8.GetByteCount(text ?? "");
        }

        _pending.Add(new PendingDocument(document, names, _texts.Count - names.Length, start, end));
        return _texts.Count >= options.BatchSize || _textBytes >= options.BatchMaxBytes;
    }

    /// <summary>
    /// Sends the waiting texts (in requests bounded by count and bytes) and hands each document's vector document to
    /// <paramref name="write"/> in order; a document whose request failed past its retries, or whose vector document is
    /// an error document or null, goes to <paramref name="error"/> instead. Exceptions of the plugin's hooks fail the task.
    /// </summary>
    public void Flush(Action<IDocument, PendingDocument> write, Action<IErrorDoc?, string?, PendingDocument> error)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var vectors = new double[_texts.Count][];
        var failures = new string?[_texts.Count];
        SendAll(vectors, failures);
        foreach (var pending in _pending)
        {
            var failed = Enumerable.Range(pending.FirstText, pending.Names.Length).Select(i => failures[i]).FirstOrDefault(f => f is not null);
            if (failed is not null)
            {
                error(null, $"vectorizing document {pending.Document.DocumentId ?? "(no id)"}: {failed}", pending);
                continue;
            }

            var map = new Dictionary<string, double[]>(pending.Names.Length, StringComparer.Ordinal);
            for (var i = 0; i < pending.Names.Length; i++)
            {
                map[pending.Names[i]] = vectors[pending.FirstText + i];
            }

            callSite.Enter(ConstructMethod);
            var vectorDoc = _vectorizer!.ConstructVectorDoc(pending.Document, map);
            callSite.Exit();
            switch (vectorDoc)
            {
                case null:
                    error(null, $"{ConstructMethod} returned null for document {pending.Document.DocumentId ?? "(no id)"}", pending);
                    break;
                case IErrorDoc errorDoc:
                    error(errorDoc, null, pending);
                    break;
                default:
                    write(vectorDoc, pending);
                    break;
            }
        }

        _pending.Clear();
        _texts.Clear();
        _textBytes = 0;
    }

    private ISagemakerVectorsInterface CreateVectorizer()
    {
        callSite.Enter("ISagemakerVectorsInterface constructor");
        var vectorizer = createVectorizer();
        callSite.Exit();
        return vectorizer;
    }

    /// <summary>Sends the texts in requests of at most <see cref="VectorizationOptions.BatchSize"/> texts and <see cref="VectorizationOptions.BatchMaxBytes"/> bytes.</summary>
    private void SendAll(double[][] vectors, string?[] failures)
    {
        var first = 0;
        while (first < _texts.Count)
        {
            var count = 0;
            long bytes = 0;
            while (first + count < _texts.Count && count < options.BatchSize)
            {
                var textBytes = Encoding.UTF8.GetByteCount(_texts[first + count]);
                if (count > 0 && bytes + textBytes > options.BatchMaxBytes)
                {
                    break;
                }

                bytes += textBytes;
                count++;
            }

            var failure = Send(first, count, vectors);
            for (var i = first; failure is not null && i < first + count; i++)
            {
                failures[i] = failure;
            }

            first += count;
        }
    }

    /// <summary>One request; null when it gave a vector per text, else why not.</summary>
    private string? Send(int first, int count, double[][] vectors)
    {
        var endpoint = options.Endpoint;
        IReadOnlyList<double[]> result;
        try
        {
            result = endpoint.EmbedAsync(_texts.GetRange(first, count), cancellationToken).GetAwaiter().GetResult();
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return $"the endpoint {endpoint.Name} failed: {e.Message}";
        }

        if (result is null || result.Count != count || result.Any(v => v is null))
        {
            return $"the endpoint {endpoint.Name} returned {(result is null ? "nothing" : $"{result.Count} vector(s)")} for {count} text(s)";
        }

        for (var i = 0; i < count; i++)
        {
            vectors[first + i] = result[i];
        }

        return null;
    }
}

/// <summary>A document waiting for its vectors: its texts' names, where its texts start in the batch, and where it came from.</summary>
internal sealed record PendingDocument(
    IDocument Document, string[] Names, int FirstText, IReadOnlyDictionary<string, string> Start, IReadOnlyDictionary<string, string> End);
