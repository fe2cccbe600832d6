namespace PbxHub.Bench.Micro;

/// <summary>The seven requests of the Sipuni spec's transferred call (spec 000, "Пример"), with <c>timestamp</c> restored.</summary>
internal static class SpecTransferExample
{
    public const string CallId = "1419783130.15593";

    public static readonly string[] Queries =
    [
        "event=1&call_id=1419783130.15593&src_num=8955555555&src_type=1&dst_num=8499999999&dst_type=1&timestamp=1378296000",
        "event=1&is_inner_call=1&call_id=1419783130.15593&src_num=8955555555&src_type=1&dst_num=012345101&dst_type=2&timestamp=1378296000",
        "event=3&call_id=1419783130.15593&src_num=8955555555&src_type=1&dst_num=012345101&dst_type=2&timestamp=1378296010",
        "event=1&is_inner_call=1&call_id=1419783130.15593&src_num=8955555555&src_type=1&dst_num=012345102&dst_type=2&timestamp=1378296020",
        "event=3&call_id=1419783130.15593&src_num=8955555555&src_type=1&dst_num=012345102&dst_type=2&timestamp=1378296030",
        "event=4&call_id=1419783130.15593&src_num=8955555555&src_type=1&dst_num=012345102&dst_type=2&call_start_timestamp=1378296000&call_answer_timestamp=1378296040&timestamp=1378296040&status=ANSWER",
        "event=2&call_id=1419783130.15593&src_num=8955555555&src_type=1&dst_num=012345102&dst_type=2&call_start_timestamp=1378296000&call_answer_timestamp=1378296025&timestamp=1378296050&status=ANSWER&call_record_link=ftp%3a%2f%2fmyhost.info%2faccount%2ffrecords%2f354435435436.wav",
    ];
}
