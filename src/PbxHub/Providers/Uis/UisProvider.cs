
namespace PbxHub.Providers.Uis;

/// <summary>UIS's registration: everything the hub knows about the provider (docs/adding-a-provider.md).</summary>
internal static class UisProvider
{
    public static ProviderDescriptor Descriptor { get; } = new(new UisAdapter())
    {
        Outbound = typeof(UisOutboundCalls),
        History = typeof(UisHistoryReader),
        Services = services => services.AddSingleton<UisRpc>().AddSingleton<UisSessions>().AddSingleton<UisDataApi>(),
        TextsEn = new Dictionary<string, string>
        {
            ["provider.uis"] = "UIS (Russia): places calls through its Call API; sends no hooks to PbxHub.",
            ["problem.uis.-32001"] = "UIS does not allow PbxHub's IP address. Add the IP address PbxHub calls from to the list of allowed addresses in the UIS account.",
            ["problem.uis.-32002"] = "UIS did not accept the session key. Check Uis:Login and Uis:Password and try again.",
            ["problem.uis.-32003"] = "UIS denied permission. Check the service number, the login and password, and that Call API is active in UIS.",
            ["problem.uis.-32004"] = "UIS limit exceeded. The daily or per-minute limit of the UIS account is used up: raise the limits in UIS or try again later.",
            ["problem.uis.-32602"] = "UIS refused the parameters. Check the numbers and try again.",
            ["problem.uis.-32603"] = "UIS internal error. The call may or may not have been placed: look for it in the call journal before trying again.",
        },
        TextsRu = new Dictionary<string, string>
        {
            ["provider.uis"] = "UIS (Россия): звонки через Call API; событий в PbxHub не присылает.",
            ["problem.uis.-32001"] = "UIS не принимает запросы с IP-адреса PbxHub. Добавьте адрес, с которого звонит PbxHub, в список разрешённых в кабинете UIS.",
            ["problem.uis.-32002"] = "UIS не принял ключ сессии. Проверьте Uis:Login и Uis:Password и повторите.",
            ["problem.uis.-32003"] = "UIS отказал в доступе. Проверьте виртуальный номер, логин и пароль и что Call API включён в UIS.",
            ["problem.uis.-32004"] = "Превышен лимит UIS. Дневной или минутный лимит аккаунта UIS исчерпан: увеличьте лимиты в UIS или повторите позже.",
            ["problem.uis.-32602"] = "UIS отклонил параметры. Проверьте номера и повторите.",
            ["problem.uis.-32603"] = "Внутренняя ошибка UIS. Звонок мог быть создан: поищите его в журнале, прежде чем звонить снова.",
        },
    };
}
