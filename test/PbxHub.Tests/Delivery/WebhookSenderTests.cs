using PbxHub.Delivery;

namespace PbxHub.Tests.Delivery;

public sealed class WebhookSenderTests
{
    [Fact]
    public void Printable_NulAndControlCharacters_Replaced()
    {
        Assert.Equal("ok\uFFFD\uFFFDline\nnext\tend", WebhookSender.Printable("ok\0\u0007line\nnext\tend"));
    }

    [Fact]
    public void Printable_LongAnswerWithAnEmojiAtTheCut_CutBetweenWholeCharacters()
    {
        var text = new string('a', 511) + "😀" + "tail";
        var printed = WebhookSender.Printable(text);
        Assert.Equal(new string('a', 511), printed);
        Assert.Equal(512, WebhookSender.Printable(new string('b', 600)).Length);
    }
}
