using PbxHub.Logging;

namespace PbxHub.Tests.Logging;

/// <summary>The masking rules on log lines as the hub really prints them (taken from a Debug-level run).</summary>
public sealed class LogMaskingTests
{
    [Fact]
    public void Mask_AspNetCoreRequestLineOfSipuniHook_SecretAndNumbersHiddenCallIdAndTimesKept()
    {
        const string line = "Request starting HTTP/1.1 GET http://127.0.0.1:46837/hooks/demo/s3cret-demo-secret?event=2&call_id=1419783130.15593"
            + "&src_num=79161234567&src_type=1&dst_num=012345101&dst_type=2&call_start_timestamp=1700000000&call_answer_timestamp=1700000005"
            + "&timestamp=1700000035&status=ANSWER - - -";

        Assert.Equal(
            "Request starting HTTP/1.1 GET http://127.0.0.1:46837/hooks/demo/***?event=2&call_id=1419783130.15593"
            + "&src_num=7******4567&src_type=1&dst_num=*******01&dst_type=2&call_start_timestamp=1700000000&call_answer_timestamp=1700000005"
            + "&timestamp=1700000035&status=ANSWER - - -",
            LogMasking.Mask(line, phoneNumbers: true));
    }

    [Theory]
    [InlineData("Request finished HTTP/1.1 GET http://127.0.0.1:46837/healthz - 200 - application/json;+charset=utf-8 1258.4824ms")]
    [InlineData("Connection id \"0HNQA1B67EO3J\", Request id \"0HNQA1B67EO3J:00000001\": started reading request body.")]
    [InlineData("warn: PbxHub.Ingest.IngestWriter[123456786]")]
    [InlineData("Considering key {f03ebdae-8665-4f3a-ad55-1a1ac0c9300a} with expiration date 2027-02-22 06:41:59Z as default key.")]
    [InlineData("Endpoint 'HTTP: GET, POST /hooks/{accountId}/{secret}' with route pattern '/hooks/{accountId}/{secret}' is valid")]
    [InlineData("Microsoft.AspNetCore.DataProtection, Version=10.0.0.0, Culture=neutral, PublicKeyToken=adb9793829ddae60")]
    [InlineData("occurredAt 2013-09-04T12:00:00.1234567Z, call 1522566805.1461640-1198614775, events 123456 of 200000 done in 00:01:00")]
    [InlineData("Folding call 9c2f1e3a-1234-4567-8901-123456789012 of account demo failed")]
    public void Mask_LinesWithoutSecretsOrNumbers_Unchanged(string line) =>
        Assert.Equal(line, LogMasking.Mask(line, phoneNumbers: true));

    [Theory]
    [InlineData("from +7 (495) 123-45-67 to", "from +7******4567 to")]
    [InlineData("from 8 (955) 555-55-55.", "from 8******5555.")]
    [InlineData("caller=+380 44 123 4567&x=1", "caller=+3*******4567&x=1")]
    [InlineData("\"Caller\":\"0987858227\"", "\"Caller\":\"0*****8227\"")]
    [InlineData("number=%2B79161234567", "number=%2B7******4567")]
    [InlineData("local 1234567 rang", "local *****67 rang")]
    [InlineData("a,79161234567,b", "a,7******4567,b")]
    [InlineData("{\\\"n\\\":79161234567}", "{\\\"n\\\":7******4567}")]
    // A count of seven digits or more in running text cannot be told from a local number: it is masked too.
    [InlineData("replayed 2500000 raw events", "replayed *****00 raw events")]
    public void Mask_PhoneNumberShapes_FirstAndLastDigitsKept(string line, string masked) =>
        Assert.Equal(masked, LogMasking.Mask(line, phoneNumbers: true));

    [Theory]
    [InlineData("Authorization: Bearer eyJhbGciOi.JIUzI1-NiJ9", "Authorization: Bearer ***")]
    [InlineData("{\"Authorization\":\"G7bng65jYk8GF294\",\"Host\":\"hub\"}", "{\"Authorization\":\"***\",\"Host\":\"hub\"}")]
    [InlineData("[Authorization, G7bng65jYk8GF294]", "[Authorization, ***]")]
    [InlineData("refused key bearer test-api-key-0123456789 for", "refused key bearer *** for")]
    [InlineData("secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw= rotated", "secret whsec_*** rotated")]
    [InlineData("key pbx_Qm9vT2xkQmFyQmF6MTIzNDU2Nzg5 created", "key pbx_*** created")]
    [InlineData("POST /x?access_token=abc.def&id=1", "POST /x?access_token=***&id=1")]
    [InlineData("{\"login\":\"acme\",\"password\":\"p\\\"w0rd\",\"api_key\":\"k1\"}", "{\"login\":\"acme\",\"password\":\"***\",\"api_key\":\"***\"}")]
    [InlineData("GET /hooks/acme-hooktype/ht-secret-0123456789 HTTP/1.1", "GET /hooks/acme-hooktype/*** HTTP/1.1")]
    public void Mask_Secrets_Hidden(string line, string masked) =>
        Assert.Equal(masked, LogMasking.Mask(line, phoneNumbers: true));

    [Fact]
    public void Mask_PhoneNumbersOff_NumbersKeptSecretsHidden() =>
        Assert.Equal(
            "GET /hooks/demo/***?src_num=79161234567 Authorization: ***",
            LogMasking.Mask("GET /hooks/demo/s3cret?src_num=79161234567 Authorization: G7bng65jYk8GF294", phoneNumbers: false));

    [Fact]
    public void Mask_JsonOutputNumberValue_KeptAsNumber() =>
        Assert.Equal(
            "{\"EventId\":123456786,\"Message\":\"src_num=7******4567\",\"State\":{\"Count\":2500000,\"Body\":\"{\\\"n\\\":*****67}\"}}",
            LogMasking.Mask("{\"EventId\":123456786,\"Message\":\"src_num=79161234567\",\"State\":{\"Count\":2500000,\"Body\":\"{\\\"n\\\":1234567}\"}}", phoneNumbers: true, json: true));
}
