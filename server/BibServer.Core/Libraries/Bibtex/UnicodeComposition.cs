using System.Collections.Frozen;

namespace BibServer.Core.Libraries.Bibtex;

/// <summary>
/// Canonical composition (the "C" of NFC) for Latin letters and the combining marks that LaTeX accents
/// produce. The process runs with invariant globalization, where <see cref="string.Normalize()"/> leaves
/// text unchanged, so the pairs are listed here. They were generated with Python's
/// <c>unicodedata.normalize("NFC", base + mark)</c> over U+0020..U+024F and U+1E00..U+1EFF, keeping the
/// pairs that compose to one character.
/// </summary>
internal static class UnicodeComposition
{
    // Each string lists pairs "base, composed" for the mark it is keyed by.
    private static readonly (char Mark, string Pairs)[] Table =
    [
        ('\u0300', "AÀEÈIÌNǸOÒUÙWẀYỲaàeèiìnǹoòuùwẁyỳ¨῭ÂẦÊỀÔỒÜǛâầêềôồüǜĂẰăằĒḔēḕŌṐōṑƠỜơờƯỪưừ"), // combining grave accent
        ('\u0301', "AÁCĆEÉGǴIÍKḰLĹMḾNŃOÓPṔRŔSŚUÚWẂYÝZŹaácćeégǵiíkḱlĺmḿnńoópṕrŕsśuúwẃyýzź¨΅ÂẤÅǺÆǼÇḈÊẾÏḮÔỐÕṌØǾÜǗâấåǻæǽçḉêếïḯôốõṍøǿüǘĂẮăắĒḖēḗŌṒōṓŨṸũṹƠỚơớƯỨưứ"), // combining acute accent
        ('\u0302', "AÂCĈEÊGĜHĤIÎJĴOÔSŜUÛWŴYŶZẐaâcĉeêgĝhĥiîjĵoôsŝuûwŵyŷzẑẠẬạậẸỆẹệỌỘọộ"), // combining circumflex accent
        ('\u0303', "AÃEẼIĨNÑOÕUŨVṼYỸaãeẽiĩnñoõuũvṽyỹÂẪÊỄÔỖâẫêễôỗĂẴăẵƠỠơỡƯỮưữ"), // combining tilde
        ('\u0304', "AĀEĒGḠIĪOŌUŪYȲaāeēgḡiīoōuūyȳÄǞÆǢÕȬÖȪÜǕäǟæǣõȭöȫüǖǪǬǫǭȦǠȧǡȮȰȯȱḶḸḷḹṚṜṛṝ"), // combining macron
        ('\u0306', "AĂEĔGĞIĬOŎUŬaăeĕgğiĭoŏuŭȨḜȩḝẠẶạặ"), // combining breve
        ('\u0307', "AȦBḂCĊDḊEĖFḞGĠHḢIİMṀNṄOȮPṖRṘSṠTṪWẆXẊYẎZŻaȧbḃcċdḋeėfḟgġhḣmṁnṅoȯpṗrṙsṡtṫwẇxẋyẏzżŚṤśṥŠṦšṧſẛṢṨṣṩ"), // combining dot above
        ('\u0308', "AÄEËHḦIÏOÖUÜWẄXẌYŸaäeëhḧiïoötẗuüwẅxẍyÿÕṎõṏŪṺūṻ"), // combining diaeresis
        ('\u0309', "AẢEẺIỈOỎUỦYỶaảeẻiỉoỏuủyỷÂẨÊỂÔỔâẩêểôổĂẲăẳƠỞơởƯỬưử"), // combining hook above
        ('\u030A', "AÅUŮaåuůwẘyẙ"), // combining ring above
        ('\u030B', "OŐUŰoőuű"), // combining double acute accent
        ('\u030C', "AǍCČDĎEĚGǦHȞIǏKǨLĽNŇOǑRŘSŠTŤUǓZŽaǎcčdďeěgǧhȟiǐjǰkǩlľnňoǒrřsštťuǔzžÜǙüǚƷǮ"), // combining caron
        ('\u030F', "AȀEȄIȈOȌRȐUȔaȁeȅiȉoȍrȑuȕ"), // combining double grave accent
        ('\u0311', "AȂEȆIȊOȎRȒUȖaȃeȇiȋoȏrȓuȗ"), // combining inverted breve
        ('\u031B', "OƠUƯoơuưÒỜÓỚÕỠÙỪÚỨòờóớõỡùừúứŨỮũữỌỢọợỎỞỏởỤỰụựỦỬủử"), // combining horn
        ('\u0323', "AẠBḄDḌEẸHḤIỊKḲLḶMṂNṆOỌRṚSṢTṬUỤVṾWẈYỴZẒaạbḅdḍeẹhḥiịkḳlḷmṃnṇoọrṛsṣtṭuụvṿwẉyỵzẓÂẬÊỆÔỘâậêệôộĂẶăặƠỢơợƯỰưựṠṨṡṩ"), // combining dot below
        ('\u0324', "UṲuṳ"), // combining diaeresis below
        ('\u0325', "AḀaḁ"), // combining ring below
        ('\u0326', "SȘTȚsștț"), // combining comma below
        ('\u0327', "CÇDḐEȨGĢHḨKĶLĻNŅRŖSŞTŢcçdḑeȩgģhḩkķlļnņrŗsştţĆḈćḉĔḜĕḝ"), // combining cedilla
        ('\u0328', "AĄEĘIĮOǪUŲaąeęiįoǫuųŌǬōǭ"), // combining ogonek
        ('\u032D', "DḒEḘLḼNṊTṰUṶdḓeḙlḽnṋtṱuṷ"), // combining circumflex accent below
        ('\u032E', "HḪhḫ"), // combining breve below
        ('\u0330', "EḚIḬUṴeḛiḭuṵ"), // combining tilde below
        ('\u0331', "BḆDḎKḴLḺNṈRṞTṮZẔbḇdḏhẖkḵlḻnṉrṟtṯzẕ"), // combining macron below
    ];

    private static readonly FrozenDictionary<int, char> Pairs = Build();

    public static bool IsCombiningMark(char c) => c >= '\u0300' && c <= '\u036F';

    /// <summary>The one character that <paramref name="baseChar"/> followed by <paramref name="mark"/> composes to, or '\0'.</summary>
    public static char Compose(char baseChar, char mark) =>
        Pairs.TryGetValue(baseChar << 16 | mark, out var composed) ? composed : '\0';

    private static FrozenDictionary<int, char> Build()
    {
        var pairs = new Dictionary<int, char>();
        foreach (var (mark, list) in Table)
        {
            for (var i = 0; i + 1 < list.Length; i += 2) pairs[list[i] << 16 | mark] = list[i + 1];
        }
        return pairs.ToFrozenDictionary();
    }
}
